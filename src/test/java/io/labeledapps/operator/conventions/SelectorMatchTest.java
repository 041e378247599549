package io.labeledapps.operator.conventions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The equality-based selector syntax of the namespace selector. */
class SelectorMatchTest {
  private static final Map<String, String> LABELS =
      Map.of("labeledapps.io/enabled", "true", "env", "prod", "team", "a");

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "labeledapps.io/enabled=true | true",
        "labeledapps.io/enabled==true | true",
        "labeledapps.io/enabled=false | false",
        "env=prod | true",
        "env=dev | false",
        "missing=x | false",
        "env!=dev | true",
        "env!=prod | false",
        "missing!=x | true",
        "env | true",
        "missing | false",
        "!missing | true",
        "!env | false",
        "env=prod,team=a | true",
        "env=prod,team=b | false",
        "env=prod,!frozen,team | true",
        "' env = prod ,  team ' | true",
        "'env=prod,' | true",
        "'' | true",
      })
  void matches(String selector, boolean expected) {
    assertEquals(expected, SelectorMatch.matches(selector, LABELS));
  }
}
