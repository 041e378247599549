-- Argo CD health check for LabeledAppSet (labeledapps.io), built on the set's status conditions.
-- Install it in the argocd-cm ConfigMap under the key
--   resource.customizations.health.labeledapps.io_LabeledAppSet
-- (see "GitOps health (Argo CD)" in the README). Without it Argo CD cannot tell when a set is done:
-- the pods are owned by the set, not by a Deployment, so the application stays Progressing.
--
--   no status yet, or status.observedGeneration behind metadata.generation  -> Progressing
--   Degraded=True, ConventionsMet=False, Ready=False with reason InvalidSpec -> Degraded
--   Paused=True                                                             -> Suspended
--   Ready=False and Progressing=False (stuck until someone acts)            -> Degraded
--   Ready=True                                                              -> Healthy
--   anything else                                                           -> Progressing
local hs = {}

local function condition(conditions, type)
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function is(c, status)
  return c ~= nil and c.status == status
end

local function says(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

local status = obj.status
if status == nil or status.conditions == nil or #status.conditions == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local generation = obj.metadata and obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to act on generation " .. tostring(generation)
  return hs
end

local conditions = status.conditions
local ready = condition(conditions, "Ready")
local progressing = condition(conditions, "Progressing")
local degraded = condition(conditions, "Degraded")
local conventions = condition(conditions, "ConventionsMet")
local paused = condition(conditions, "Paused")

if is(degraded, "True") then
  hs.status = "Degraded"
  hs.message = says(degraded, "Pods of the set keep failing")
elseif is(conventions, "False") then
  hs.status = "Degraded"
  hs.message = says(conventions, "The set breaks a namespace convention")
elseif is(ready, "False") and ready.reason == "InvalidSpec" then
  hs.status = "Degraded"
  hs.message = says(ready, "The spec is invalid")
elseif is(paused, "True") then
  hs.status = "Suspended"
  hs.message = says(paused, "Reconciliation is paused")
elseif is(ready, "False") and is(progressing, "False") then
  hs.status = "Degraded"
  hs.message = says(ready, "Not ready and not progressing")
elseif is(ready, "True") then
  hs.status = "Healthy"
  hs.message = says(ready, "All pods are ready")
else
  hs.status = "Progressing"
  hs.message = says(ready, "Waiting for pods to become ready")
end
return hs
