package io.labeledapps.operator.status;

/**
 * Something that keeps a set from converging and that retrying will not fix: the user must act.
 *
 * @param reason a CamelCase condition reason, e.g. {@code InvalidSpec}
 * @param message what is wrong and, where it helps, what to do
 */
public record Problem(String reason, String message) {}
