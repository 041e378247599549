package io.labeledapps.operator.validation;

/** One problem with a set's spec: the field's path and what is wrong with it. */
public record Violation(String field, String problem) {
  /**
   * A hostile key or value must not make the status unreadable (or too big to write): both are cut.
   */
  private static final int MAX_FIELD = 200;

  private static final int MAX_PROBLEM = 600;

  @Override
  public String toString() {
    return cut(field, MAX_FIELD) + ": " + cut(problem, MAX_PROBLEM);
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max
        ? s
        : s.substring(0, max - 30) + "...(" + s.length() + " characters)";
  }
}
