package io.labeledapps.operator.util;

/**
 * Checks of numbers a user or a caller configures; each failure is an {@link
 * IllegalArgumentException} that names the setting and the value it got.
 */
public final class Require {
  private Require() {}

  /** "{@code name} must be at least {@code min}, got {@code value}". */
  public static void atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
  }

  /**
   * A finite number above 0: "{@code name} must be more than 0{@code unit}, got {@code value}"
   * ({@code unit}: e.g. " (creates per second)", or "").
   */
  public static void positive(String name, double value, String unit) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be more than 0" + unit + ", got " + value);
    }
  }

  /**
   * A finite number at least {@code min}, the value of the setting {@code minName}: "{@code name}
   * must be at least {@code minName} ({@code min}), got {@code value}".
   */
  public static void atLeast(String name, double value, String minName, double min) {
    if (!(value >= min) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          name + " must be at least " + minName + " (" + min + "), got " + value);
    }
  }
}
