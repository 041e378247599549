package io.labeledapps.operator.api;

/**
 * Why a stored set could not be read into the Java types: the field's path (e.g. {@code
 * spec.progressDeadlineSeconds}) and what is wrong with it (e.g. {@code 2147483648 is out of range
 * of int32}). Such a set is stored on the server (before the schema was tightened, or by a client
 * that skipped validation) but only its metadata and status are known to the operator.
 */
public record ReadingProblem(String field, String problem) {
  @Override
  public String toString() {
    return field + ": " + problem;
  }
}
