package io.labeledapps.operator.conventions;

import static io.labeledapps.operator.conventions.Fixtures.pairs;
import static io.labeledapps.operator.conventions.Fixtures.quantities;
import static io.labeledapps.operator.conventions.Fixtures.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.labeledapps.operator.model.Quantities;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Conventions#withDefaults}: fills what is missing and never makes a request larger than its
 * limit.
 */
class WithDefaultsTest {

  private static Map<String, String> flat(ResourceRequirements r) {
    Map<String, String> out = new LinkedHashMap<>();
    Conventions.flatten(r).forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  private static void assertRequestsWithinLimits(ResourceRequirements r) {
    for (String resource : List.of("cpu", "memory")) {
      Quantity request = r.getRequests() == null ? null : r.getRequests().get(resource);
      Quantity limit = r.getLimits() == null ? null : r.getLimits().get(resource);
      if (request != null && limit != null) {
        assertTrue(
            !Quantities.greater(request, limit),
            resource + " request " + request + " > limit " + limit);
      }
    }
  }

  @Test
  void nothingDeclaredGetsEveryDefault() {
    ResourceRequirements r =
        Quantities.withDefaults(
            null,
            quantities(
                "requests.cpu=100m",
                "requests.memory=128Mi",
                "limits.cpu=1",
                "limits.memory=256Mi"));
    assertEquals(
        pairs("requests.cpu=100m", "requests.memory=128Mi", "limits.cpu=1", "limits.memory=256Mi"),
        flat(r));
  }

  @Test
  void noDefaultsLeavesTheDeclaredObjectAlone() {
    ResourceRequirements declared = resources("requests.cpu=1");
    assertSame(declared, Quantities.withDefaults(declared, Map.of()));
    assertNull(Quantities.withDefaults(null, Map.of()));
  }

  @Test
  void declaredValuesWin() {
    ResourceRequirements r =
        Quantities.withDefaults(
            resources("requests.cpu=50m", "limits.memory=1Gi"),
            quantities("requests.cpu=100m", "requests.memory=128Mi", "limits.memory=256Mi"));
    assertEquals(
        Map.of("requests.cpu", "50m", "requests.memory", "128Mi", "limits.memory", "1Gi"), flat(r));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a default request above the declared limit is lowered to the limit \
            | limits.cpu=50m,limits.memory=64Mi | requests.cpu=100m,requests.memory=128Mi \
            | requests.cpu=50m,requests.memory=64Mi
          a default limit below the declared request is raised to the request \
            | requests.memory=1Gi,requests.cpu=2 | limits.memory=256Mi,limits.cpu=1 \
            | limits.memory=1Gi,limits.cpu=2
          """)
  void aDefaultOnTheWrongSideOfADeclaredValueMovesToIt(
      String what, String declared, String defaults, String expected) {
    ResourceRequirements r =
        Quantities.withDefaults(resources(declared.split(",")), quantities(defaults.split(",")));
    pairs(expected.split(",")).forEach((key, value) -> assertEquals(value, flat(r).get(key), key));
    assertRequestsWithinLimits(r);
  }

  @Test
  void defaultsThatContradictEachOtherStillGiveRequestAtMostLimit() {
    // a namespace annotated with default-cpu-request=2 and default-cpu-limit=1
    ResourceRequirements r =
        Quantities.withDefaults(null, quantities("requests.cpu=2", "limits.cpu=1"));
    assertEquals("1", r.getRequests().get("cpu").toString());
    assertEquals("1", r.getLimits().get("cpu").toString());
  }

  @Test
  void requestNeverExceedsLimitOverManyCombinations() {
    List<String> amounts = List.of("10m", "100m", "1", "3");
    List<String> memory = List.of("1Mi", "128Mi", "1Gi");
    for (String dr : amounts) {
      for (String dl : amounts) {
        for (String declared : amounts) {
          for (String kind : List.of("requests", "limits", "none")) {
            for (String mr : memory) {
              for (String ml : memory) {
                ResourceRequirements d =
                    switch (kind) {
                      case "requests" ->
                          resources("requests.cpu=" + declared, "requests.memory=" + mr);
                      case "limits" -> resources("limits.cpu=" + declared, "limits.memory=" + ml);
                      default -> null;
                    };
                ResourceRequirements r =
                    Quantities.withDefaults(
                        d,
                        quantities(
                            "requests.cpu=" + dr,
                            "limits.cpu=" + dl,
                            "requests.memory=" + mr,
                            "limits.memory=" + ml));
                assertRequestsWithinLimits(r);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aDeclaredRequestAboveADeclaredLimitIsLeftForTheApiServerToReject() {
    // withDefaults only fills gaps; it does not rewrite what the user declared
    ResourceRequirements r =
        Quantities.withDefaults(
            resources("requests.cpu=2", "limits.cpu=1"), quantities("requests.memory=1Mi"));
    assertEquals("2", r.getRequests().get("cpu").toString());
    assertEquals("1", r.getLimits().get("cpu").toString());
  }
}
