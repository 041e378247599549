package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.validation.Corpus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schema's bounds on the API server in KUBECONFIG, whatever its version (1.20 in CI: no CEL):
 * every set the corpus or the boundary cases mark {@code schema} is refused naming its field, and
 * every other one is admitted for the operator to judge. Asked with a server-side dry run; {@code
 * CrdAdmissionModernIT} covers the CEL rules.
 */
class CrdSchemaAdmissionIT {
  @RegisterExtension static final E2eOperator cluster = E2eOperator.namespaceOnly("las-admission");
  static final KubernetesClient client = cluster.client;
  static final String ns = cluster.ns;

  @Test
  void theSchemaRefusesWhatItBoundsOnEveryServer() {
    // servers before 1.25 (CI's 1.20) do not run CEL rules: they must store what only CEL refuses
    boolean cel =
        Integer.parseInt(client.getKubernetesVersion().getMinor().replaceAll("\\D", "")) >= 25;
    List<String> wrong = new ArrayList<>();
    int refused = 0;
    for (var entry : Admission.refusedSets()) {
      Admission.Verdict v = entry.getKey();
      Admission.Answer answer = Admission.dryRunCreate(client, ns, entry.getValue());
      if (v.expect() != Corpus.Expect.SCHEMA) {
        // CEL and the operator's to refuse; a server without CEL must store it
        if (!answer.admitted() && !cel) {
          wrong.add(v.name() + ": refused by the schema: " + Admission.brief(answer.message()));
        }
        continue;
      }
      wrong.addAll(Admission.refusalFaults(v, answer));
      if (answer.code() == 422) {
        refused++;
      }
    }
    assertEquals(List.of(), wrong);
    assertTrue(refused >= 40, "schema refusals checked: " + refused);
  }
}
