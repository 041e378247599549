package io.labeledapps.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;

/**
 * Writes a set's whole status in one JSON patch operation ({@code add /status}, which replaces the
 * member when it exists). The result on the server is exactly the computed status whatever the
 * server held before, so it does not depend on the informer cache being current: a patch computed
 * as a diff against a stale cached copy would leave fields of an earlier write behind, and since
 * the operator's own status writes trigger no reconcile, nothing would correct them. No
 * resourceVersion is sent: the operator is the only writer of status.
 */
public final class StatusWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Writes {@code status}; returns the set as the server stored it (its status, its
   * resourceVersion).
   */
  public LabeledAppSet write(LabeledAppSet set, LabeledAppSetStatus status) {
    // through resource(set), not withName(): with no object in hand fabric8 GETs one before
    // patching
    LabeledAppSet patched =
        client
            .resource(set)
            .subresource("status")
            .patch(PatchContext.of(PatchType.JSON), patch(status));
    return patched;
  }

  /** {@code [{"op":"add","path":"/status","value":{...}}]}. */
  static String patch(LabeledAppSetStatus status) {
    ObjectNode op = MAPPER.createObjectNode();
    op.put("op", "add");
    op.put("path", "/status");
    op.set("value", MAPPER.valueToTree(status));
    return MAPPER.createArrayNode().add(op).toString();
  }
}
