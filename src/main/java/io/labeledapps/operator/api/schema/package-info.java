/**
 * Schema-only mirrors of the Kubernetes types the spec reuses (probes, env, resources, conditions,
 * security contexts, volumes and mounts, lifecycle hooks, scheduling). The Java fields keep
 * fabric8's types; these classes only give the generated CRD a description for every field (so
 * {@code kubectl explain} explains them) and leave out fields newer than the API servers the
 * operator supports, or that a Pod Security level forbids in any case (hostPath, host namespaces).
 */
package io.labeledapps.operator.api.schema;
