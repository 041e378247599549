package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource quantities read with Kubernetes' documented grammar (apimachinery's {@code
 * resource.Quantity}): a signed decimal number with at least one digit, then one of the binary
 * suffixes {@code Ki Mi Gi Ti Pi Ei}, the decimal suffixes {@code n u m k M G T P E}, or an integer
 * exponent {@code e3}. Stricter than the API server in one respect on purpose: it parses a bare
 * suffix such as {@code Ti} as 0, which is never what the user meant. Values are bounded, so no
 * input makes the arithmetic explode. Pure; never throws on data.
 */
public final class Quantities {
  private static final Pattern GRAMMAR =
      Pattern.compile(
          "([+-]?)([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?");

  /**
   * Kubernetes stores quantities as int64 (binary quantities are capped there): nothing larger is
   * meaningful.
   */
  public static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private static final int MAX_TEXT = 64;
  private static final int MAX_EXPONENT = 30;

  private Quantities() {}

  /**
   * A quantity's value, or why it is not one.
   *
   * @param problem what the text is instead, to follow "'text' is" or "'text', "
   */
  public record Parsed(String text, BigDecimal value, String problem) {
    public boolean valid() {
      return problem == null;
    }

    /** {@code 'lots' is not a quantity (...)}. */
    public String message() {
      return "'" + text + "' is " + problem;
    }
  }

  /** {@code quantity} as written by the user (fabric8 keeps the text). */
  public static Parsed parse(Quantity quantity) {
    return parse(quantity == null ? null : quantity.toString());
  }

  public static Parsed parse(String text) {
    if (text == null || text.isEmpty()) {
      return invalid(text, "empty; write a quantity such as 100m, 128Mi or 1");
    }
    if (text.length() > MAX_TEXT) {
      return invalid(
          text.substring(0, 20) + "...",
          text.length() + " characters long; a quantity has at most " + MAX_TEXT);
    }
    Matcher m = GRAMMAR.matcher(text);
    if (!m.matches()) {
      return invalid(
          text,
          "not a quantity (a number with an optional suffix: m, k, M, G, T, P, E,"
              + " Ki, Mi, Gi, Ti, Pi, Ei, or an exponent such as e3)");
    }
    BigDecimal number = new BigDecimal(m.group(2).endsWith(".") ? m.group(2) + "0" : m.group(2));
    if ("-".equals(m.group(1)) && number.signum() != 0) {
      return invalid(text, "a negative quantity; resources are 0 or more");
    }
    Optional<BigDecimal> multiplier = multiplier(m.group(3) == null ? "" : m.group(3));
    if (multiplier.isEmpty()) {
      return invalid(text, "a quantity with an exponent beyond ±" + MAX_EXPONENT);
    }
    BigDecimal value = number.multiply(multiplier.get());
    if (value.compareTo(MAX) > 0) {
      return invalid(text, "larger than the largest quantity Kubernetes stores (2^63-1)");
    }
    return new Parsed(text, value, null);
  }

  /** The value of {@code quantity}, if it is one. */
  public static Optional<BigDecimal> value(Quantity quantity) {
    Parsed p = parse(quantity);
    return p.valid() ? Optional.of(p.value()) : Optional.empty();
  }

  private static Optional<BigDecimal> multiplier(String suffix) {
    return switch (suffix) {
      case "" -> Optional.of(BigDecimal.ONE);
      case "n" -> Optional.of(BigDecimal.ONE.scaleByPowerOfTen(-9));
      case "u" -> Optional.of(BigDecimal.ONE.scaleByPowerOfTen(-6));
      case "m" -> Optional.of(BigDecimal.ONE.scaleByPowerOfTen(-3));
      case "k" -> Optional.of(BigDecimal.ONE.scaleByPowerOfTen(3));
      case "M" -> Optional.of(BigDecimal.ONE.scaleByPowerOfTen(6));
      case "G" -> Optional.of(BigDecimal.ONE.scaleByPowerOfTen(9));
      case "T" -> Optional.of(BigDecimal.ONE.scaleByPowerOfTen(12));
      case "P" -> Optional.of(BigDecimal.ONE.scaleByPowerOfTen(15));
      case "E" -> Optional.of(BigDecimal.ONE.scaleByPowerOfTen(18));
      case "Ki" -> Optional.of(BigDecimal.valueOf(1L << 10));
      case "Mi" -> Optional.of(BigDecimal.valueOf(1L << 20));
      case "Gi" -> Optional.of(BigDecimal.valueOf(1L << 30));
      case "Ti" -> Optional.of(BigDecimal.valueOf(1L << 40));
      case "Pi" -> Optional.of(BigDecimal.valueOf(1L << 50));
      case "Ei" -> Optional.of(BigDecimal.valueOf(1L << 60));
      default -> exponent(suffix.substring(1));
    };
  }

  private static Optional<BigDecimal> exponent(String digits) {
    String unsigned = digits.replaceFirst("^[+-]", "").replaceFirst("^0+(?=.)", "");
    if (unsigned.length() > 2 || Integer.parseInt(unsigned) > MAX_EXPONENT) {
      return Optional.empty();
    }
    return Optional.of(BigDecimal.ONE.scaleByPowerOfTen(Integer.parseInt(digits.replace("+", ""))));
  }

  private static Parsed invalid(String text, String problem) {
    return new Parsed(text, null, problem);
  }

  /**
   * {@code declared} with the defaults it lacks. A defaulted request never exceeds a declared limit
   * and a defaulted limit never falls below a declared request, as LimitRange does.
   */
  public static io.fabric8.kubernetes.api.model.ResourceRequirements withDefaults(
      io.fabric8.kubernetes.api.model.ResourceRequirements declared,
      Map<String, Quantity> defaults) {
    if (defaults.isEmpty()) {
      return declared;
    }
    Map<String, Quantity> requests =
        new TreeMap<>(
            declared == null || declared.getRequests() == null ? Map.of() : declared.getRequests());
    Map<String, Quantity> limits =
        new TreeMap<>(
            declared == null || declared.getLimits() == null ? Map.of() : declared.getLimits());
    for (String resource : List.of("cpu", "memory")) {
      Quantity defaultRequest = defaults.get("requests." + resource);
      Quantity defaultLimit = defaults.get("limits." + resource);
      if (!limits.containsKey(resource) && defaultLimit != null) {
        Quantity request = requests.get(resource);
        limits.put(
            resource, request != null && greater(request, defaultLimit) ? request : defaultLimit);
      }
      if (!requests.containsKey(resource) && defaultRequest != null) {
        Quantity limit = limits.get(resource);
        requests.put(
            resource, limit != null && greater(defaultRequest, limit) ? limit : defaultRequest);
      }
    }
    var result = new io.fabric8.kubernetes.api.model.ResourceRequirements();
    if (declared != null) {
      result.setClaims(declared.getClaims());
    }
    result.setRequests(requests.isEmpty() ? null : requests);
    result.setLimits(limits.isEmpty() ? null : limits);
    return result;
  }

  /**
   * {@code a > b}; false when either is not a quantity: the Validate stage reports those, and the
   * conventions never throw on data.
   */
  public static boolean greater(Quantity a, Quantity b) {
    var x = value(a);
    var y = value(b);
    return x.isPresent() && y.isPresent() && x.get().compareTo(y.get()) > 0;
  }
}
