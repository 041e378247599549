package io.labeledapps.operator.e2e;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.labeledapps.operator.testkit.Await;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Clients that act as a ServiceAccount: a token from the TokenRequest API (served by every
 * supported Kubernetes; minikube and kube-apiserver 1.20 alike), the API server and CA of the admin
 * client, and nothing else of the admin's credentials, so only the RBAC bound to that
 * ServiceAccount decides what it may do.
 */
final class ServiceAccountAccess {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private ServiceAccountAccess() {}

  /**
   * A client authenticated as ServiceAccount {@code namespace/name}, with a one-hour bound token.
   */
  static KubernetesClient clientFor(KubernetesClient admin, String namespace, String name) {
    TokenRequest request =
        new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build();
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(name)
            .tokenRequest(request)
            .getStatus()
            .getToken();
    Config a = admin.getConfiguration();
    // Config.empty(): nothing read from KUBECONFIG, so no client certificate or admin token sneaks
    // in
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(a.getMasterUrl())
            .withCaCertFile(a.getCaCertFile())
            .withCaCertData(a.getCaCertData())
            .withTrustCerts(a.isTrustCerts())
            .withDisableHostnameVerification(a.isDisableHostnameVerification())
            .withOauthToken(token)
            .withNamespace(namespace)
            // the operator's own setting: JOSDK retries, fabric8 does not
            .withRequestRetryBackoffLimit(1)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * What {@code kubectl auth can-i} answers for the client's own identity ({@code namespace} null:
   * cluster-wide).
   */
  static boolean can(
      KubernetesClient client, String verb, String group, String resource, String namespace) {
    String subresource = null;
    if (resource.contains("/")) {
      subresource = resource.substring(resource.indexOf('/') + 1);
      resource = resource.substring(0, resource.indexOf('/'));
    }
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withVerb(verb)
            .withGroup(group)
            .withResource(resource)
            .withSubresource(subresource)
            .withNamespace(namespace)
            .endResourceAttributes()
            .endSpec()
            .build();
    return client
        .authorization()
        .v1()
        .selfSubjectAccessReview()
        .create(review)
        .getStatus()
        .getAllowed();
  }

  /** Polls {@code condition} until it holds or {@link #TIMEOUT} passes. */
  static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }
}
