package io.labeledapps.operator.api;

/** Network protocols Kubernetes supports for container and Service ports. */
public enum Protocol {
  TCP,
  UDP,
  SCTP
}
