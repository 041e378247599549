package io.labeledapps.operator.conventions;

/**
 * A set breaking one of the namespace's conventions.
 *
 * @param rule the CamelCase rule name, also the condition reason and the metric label
 * @param message what is wrong, precisely enough to fix it
 */
public record ConventionViolation(String rule, String message) {}
