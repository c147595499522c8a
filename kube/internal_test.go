package kube_test

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// unknownValue stands for an annotation not known until update.
const unknownValue = "<unknown>"

func TestCloudInternal(t *testing.T) {
	for _, c := range []struct {
		name string
		ann  map[string]string
		want policy.State
	}{
		{"none", nil, policy.Absent},
		{"azure true", map[string]string{kube.AzureInternal: "true"}, policy.Known},
		{"azure false", map[string]string{kube.AzureInternal: "false"}, policy.Absent},
		{"azure TRUE is not true to cloud-provider-azure", map[string]string{kube.AzureInternal: "TRUE"}, policy.Absent},
		{"azure empty", map[string]string{kube.AzureInternal: ""}, policy.Absent},
		{"azure unknown", map[string]string{kube.AzureInternal: unknownValue}, policy.Unknown},
		{"gke Internal", map[string]string{kube.GKEType: "Internal"}, policy.Known},
		{"gke deprecated lowercase", map[string]string{kube.GKEType: "internal"}, policy.Known},
		{"gke External", map[string]string{kube.GKEType: "External"}, policy.Absent},
		{"gke INTERNAL", map[string]string{kube.GKEType: "INTERNAL"}, policy.Absent},
		{"gke legacy Internal", map[string]string{kube.GKELegacyType: "Internal"}, policy.Known},
		{"gke new key decides over legacy", map[string]string{kube.GKEType: "External", kube.GKELegacyType: "Internal"}, policy.Absent},
		{"gke new key Internal, legacy external", map[string]string{kube.GKEType: "Internal", kube.GKELegacyType: "External"}, policy.Known},
		{"gke unknown", map[string]string{kube.GKEType: unknownValue}, policy.Unknown},
		{"gke legacy malformed", map[string]string{kube.GKELegacyType: "<invalid>"}, policy.Invalid},
		{"azure true beside an unknown gke key", map[string]string{kube.AzureInternal: "true", kube.GKEType: unknownValue}, policy.Known},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := kube.CloudInternal(func(key string) (string, policy.State) {
				v, ok := c.ann[key]
				switch {
				case !ok:
					return "", policy.Absent
				case v == unknownValue:
					return "", policy.Unknown
				case v == "<invalid>":
					return "", policy.Invalid
				}
				return v, policy.Known
			})
			if got != c.want {
				t.Errorf("CloudInternal(%v) = %v, want %v", c.ann, got, c.want)
			}
		})
	}
}
