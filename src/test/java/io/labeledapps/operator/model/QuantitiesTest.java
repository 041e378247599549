package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @ParameterizedTest
  @CsvSource({
    "1, 1",
    "0, 0",
    "100m, 0.1",
    "1.5, 1.5",
    "5., 5",
    ".5, 0.5",
    "+2, 2",
    "-0, 0",
    "128Mi, 134217728",
    "1Ki, 1024",
    "1Ti, 1099511627776",
    "2Ei, 2305843009213693952",
    "1k, 1000",
    "1M, 1000000",
    "3G, 3000000000",
    "1T, 1000000000000",
    "1P, 1000000000000000",
    "1E, 1000000000000000000",
    "250u, 0.000250",
    "7n, 0.000000007",
    "1e3, 1000",
    "1.5E3, 1500",
    "2e-3, 0.002",
    "1e+2, 100"
  })
  void readsKubernetesQuantities(String text, String value) {
    Quantities.Parsed parsed = Quantities.parse(text);
    assertTrue(parsed.valid(), parsed.message());
    assertEquals(0, new BigDecimal(value).compareTo(parsed.value()), text + " = " + parsed.value());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "lots", "1ki", "Ti", "Ki", "1KB", "1 Mi", " 1", "1mi", "1e", "1e1.5", "1Mi2", ".", "+", "-",
        "0x10", "1,5", "½", "１", "1m1", "∞", "NaN", "1e99", "1e-99"
      })
  void refusesWhatIsNotAQuantity(String text) {
    Quantities.Parsed parsed = Quantities.parse(text);
    assertFalse(parsed.valid(), text + " parsed as " + parsed.value());
    assertTrue(parsed.message().startsWith("'"), parsed.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "-100m", "-1Gi"})
  void refusesNegativeQuantities(String text) {
    assertTrue(
        Quantities.parse(text).problem().contains("negative"), Quantities.parse(text).problem());
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "8Ei", "10E", "1e19"})
  void refusesQuantitiesAboveInt64(String text) {
    assertTrue(
        Quantities.parse(text).problem().contains("larger than"), Quantities.parse(text).problem());
  }

  @org.junit.jupiter.api.Test
  void readsTheTextFabric8Keeps() {
    assertEquals(
        0, new BigDecimal("0.1").compareTo(Quantities.value(new Quantity("100m")).orElseThrow()));
    assertTrue(Quantities.value(new Quantity("lots")).isEmpty());
    assertTrue(Quantities.value(null).isEmpty());
    assertFalse(
        Quantities.parse("1".repeat(100_000)).valid(),
        "huge numbers are refused before any arithmetic");
  }
}
