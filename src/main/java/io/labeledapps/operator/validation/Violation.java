package io.labeledapps.operator.validation;

/** One problem with a set's spec: the field's path and what is wrong with it. */
public record Violation(String field, String problem) {
  @Override
  public String toString() {
    return field + ": " + problem;
  }
}
