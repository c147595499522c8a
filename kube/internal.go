package kube

import "github.com/selfhosted-hardening/selfhosted-hardening/policy"

// Annotations by which the Azure and Google Cloud providers make a Service
// of type LoadBalancer an internal load balancer (a private address of the
// virtual network) instead of one with a public address.
const (
	// AzureInternal makes an internal Azure load balancer. The Azure cloud
	// provider (cloud-provider-azure, requiresInternalLoadBalancer) compares
	// its value with "true" exactly: "True", "TRUE" or "yes" leave the load
	// balancer public, and so does the pack.
	AzureInternal = servicePrefix + "azure-load-balancer-internal"
	// GKEType makes an internal passthrough Network Load Balancer on GKE
	// with the value "Internal". GKELegacyType is its deprecated spelling,
	// read only when GKEType is not set (the GKE ingress code reads the
	// new key first, and the first one set decides); both accept the
	// deprecated lowercase value "internal". Any other value is external.
	GKEType       = "networking.gke.io/load-balancer-type"
	GKELegacyType = "cloud.google.com/load-balancer-type"
)

// CloudInternal reads the Azure and GKE internal-load-balancer annotations
// through get, which returns an annotation's trimmed value and read state.
// It returns Known when one makes the load balancer internal, Absent when
// none does, and Unknown or Invalid when one that would decide is not
// known until update or malformed (get has noted it): no verdict then.
func CloudInternal(get func(key string) (string, policy.State)) policy.State {
	v, st := get(AzureInternal)
	switch {
	case st == policy.Known && v == "true":
		return policy.Known
	case st.Undecided():
		return st
	}
	for _, key := range []string{GKEType, GKELegacyType} {
		v, st := get(key)
		switch {
		case st.Undecided():
			return st
		case st == policy.Absent:
			continue
		case v == "Internal" || v == "internal":
			return policy.Known
		}
		return policy.Absent // the first one set decides: external
	}
	return policy.Absent
}
