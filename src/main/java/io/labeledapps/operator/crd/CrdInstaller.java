package io.labeledapps.operator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the CRDs of {@code crds/} into a cluster: the operator's {@code --install-crd} and the
 * tests.
 */
public final class CrdInstaller {
  private static final Logger log = LoggerFactory.getLogger(CrdInstaller.class);

  private CrdInstaller() {}

  /**
   * Applies every CRD in {@code dir} and waits until the API server serves it. An API server older
   * than 1.23 does not know the field {@code x-kubernetes-validations} (the CEL rules): server-side
   * apply fails on it there, so the rules are left out. Such a server would not enforce them
   * anyway; the operator applies the same rules itself.
   */
  public static void install(KubernetesClient client, Path dir) throws IOException {
    String server = serverVersion(client);
    boolean keepRules = knowsValidationRules(server);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{yml,yaml}")) {
      for (Path file : files) {
        CustomResourceDefinition crd;
        try (InputStream in = Files.newInputStream(file)) {
          crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
        }
        if (!keepRules && withoutValidationRules(crd) > 0) {
          log.info(
              "API server {} predates CEL validation rules: installing CRD {} without them;"
                  + " the operator checks them itself",
              server,
              crd.getMetadata().getName());
        }
        apply(client, crd);
        log.info("Installed CRD {}", crd.getMetadata().getName());
      }
    }
  }

  /**
   * Applies {@code crd} (server-side, as the operator's field manager, taking over fields others
   * set) and waits up to a minute until the API server reports it Established.
   */
  public static void apply(KubernetesClient client, CustomResourceDefinition crd) {
    var crds = client.apiextensions().v1().customResourceDefinitions();
    crds.resource(crd).fieldManager("labeledappset-operator").forceConflicts().serverSideApply();
    crds.withName(crd.getMetadata().getName())
        .waitUntilCondition(CrdInstaller::established, 60, TimeUnit.SECONDS);
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String serverVersion(KubernetesClient client) {
    try {
      VersionInfo v = client.getKubernetesVersion();
      return v == null ? null : v.getMajor() + "." + v.getMinor();
    } catch (KubernetesClientException e) {
      return null;
    }
  }

  /**
   * Whether an API server of {@code version} ("1.20", "1.27+") knows x-kubernetes-validations;
   * unknown means yes.
   */
  public static boolean knowsValidationRules(String version) {
    if (version == null) {
      return true;
    }
    String[] parts = version.split("\\.");
    try {
      int major = Integer.parseInt(parts[0].replaceAll("\\D", ""));
      int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D", "")) : 0;
      return major > 1 || minor >= 23;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** Removes every CEL rule from {@code crd}'s schemas; returns how many there were. */
  public static int withoutValidationRules(CustomResourceDefinition crd) {
    int removed = 0;
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      if (version.getSchema() != null) {
        removed += withoutValidationRules(version.getSchema().getOpenAPIV3Schema());
      }
    }
    return removed;
  }

  private static int withoutValidationRules(JSONSchemaProps schema) {
    if (schema == null) {
      return 0;
    }
    int removed =
        schema.getXKubernetesValidations() == null ? 0 : schema.getXKubernetesValidations().size();
    schema.setXKubernetesValidations(null);
    if (schema.getProperties() != null) {
      for (JSONSchemaProps p : schema.getProperties().values()) {
        removed += withoutValidationRules(p);
      }
    }
    if (schema.getItems() != null) {
      removed += withoutValidationRules(schema.getItems().getSchema());
      if (schema.getItems().getJSONSchemas() != null) {
        for (JSONSchemaProps p : schema.getItems().getJSONSchemas()) {
          removed += withoutValidationRules(p);
        }
      }
    }
    if (schema.getAdditionalProperties() != null) {
      removed += withoutValidationRules(schema.getAdditionalProperties().getSchema());
    }
    for (List<JSONSchemaProps> list :
        Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
      if (list != null) {
        for (JSONSchemaProps p : list) {
          removed += withoutValidationRules(p);
        }
      }
    }
    return removed + withoutValidationRules(schema.getNot());
  }
}
