package policies

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
	"github.com/selfhosted-hardening/selfhosted-hardening/props"
)

// ng is a managed node group with the given remoteAccess (nil: none).
func ng(typ, name string, remote any) *fixture.Res {
	in := map[string]any{"clusterName": "eks", "nodeRoleArn": "arn:aws:iam::123456789012:role/ng"}
	if remote != nil {
		in["remoteAccess"] = remote
	}
	return fixture.R(typ, name, in)
}

// TestNodeGroupSSH: EKS opens port 22 to the internet for a managed node
// group with a key pair and no security groups to admit (issue 18, class 3).
func TestNodeGroupSSH(t *testing.T) {
	key := map[string]any{"ec2SshKey": "ops-key"}
	opened := violation("remoteAccess.ec2SshKey is set and remoteAccess.sourceSecurityGroupIds is not",
		"port 22 on every node", "0.0.0.0/0", "Fix: Set remoteAccess.sourceSecurityGroupIds")
	runCases(t, SecurityGroupNoUnrestrictedIngress, []caseT{
		{name: "key, no groups", target: "ng", rs: []*fixture.Res{ng(typeEKSNodeGroup, "ng", key)}, both: []fixture.Want{opened}},
		{name: "component: key, no groups", target: "ng", rs: []*fixture.Res{ng(typeEKSManagedNodeGroup, "ng", key)},
			both: []fixture.Want{opened}},
		{name: "key, empty groups", target: "ng", rs: []*fixture.Res{ng(typeEKSNodeGroup, "ng", map[string]any{
			"ec2SshKey": "ops-key", "sourceSecurityGroupIds": []any{}})}, both: []fixture.Want{opened}},
		{name: "key and a bastion's group", target: "ng", rs: []*fixture.Res{ng(typeEKSNodeGroup, "ng", map[string]any{
			"ec2SshKey": "ops-key", "sourceSecurityGroupIds": []any{"sg-bastion"}})}},
		{name: "no remote access", target: "ng", rs: []*fixture.Res{ng(typeEKSNodeGroup, "ng", nil)}},
		{name: "empty key", target: "ng", rs: []*fixture.Res{ng(typeEKSNodeGroup, "ng", map[string]any{"ec2SshKey": ""})}},
		{name: "secret key name, no groups", target: "ng", rs: []*fixture.Res{ng(typeEKSNodeGroup, "ng", map[string]any{
			"ec2SshKey": props.Secret(props.FromGo("ops-key-secret-name"))})}, both: []fixture.Want{opened}},
		{name: "key not known until update", target: "ng", rs: []*fixture.Res{ng(typeEKSNodeGroup, "ng", map[string]any{
			"ec2SshKey": fixture.Unknown})}, both: []fixture.Want{advisory("remoteAccess.ec2SshKey is not known until update")}},
		{name: "groups not known until update", target: "ng", rs: []*fixture.Res{ng(typeEKSNodeGroup, "ng", map[string]any{
			"ec2SshKey": "ops-key", "sourceSecurityGroupIds": fixture.Unknown})},
			both: []fixture.Want{advisory("remoteAccess.sourceSecurityGroupIds is not known until update")}},
		{name: "malformed remoteAccess", target: "ng", rs: []*fixture.Res{ng(typeEKSNodeGroup, "ng", "ops-key")},
			both: []fixture.Want{advisory("remoteAccess", "shape")}},
		{name: "SSH not a sensitive port in config", target: "ng", cfg: map[string]any{"sensitivePorts": []any{3389}},
			rs: []*fixture.Res{ng(typeEKSNodeGroup, "ng", key)}},
	})
}

// TestNodeGroupSSHOfAComponentIsTheComponents: a node group a @pulumi/eks
// component made is judged by the component's inputs, not again by itself.
func TestNodeGroupSSHOfAComponentIsTheComponents(t *testing.T) {
	r := ng(typeEKSNodeGroup, "child", map[string]any{"ec2SshKey": "ops-key"})
	for _, mode := range fixture.Modes {
		rs := fixture.Build(t, mode, r)
		rs[0].URN = "urn:pulumi:dev::project::eks:index:ManagedNodeGroup$aws:eks/nodeGroup::child"
		pack := Pack()
		if fs := pack.Analyze(&policy.Env{DryRun: mode == fixture.Preview}, pack.DefaultConfiguration(), rs[0]); len(
			onlyPolicy(fs, SecurityGroupNoUnrestrictedIngress.Name)) != 0 {
			t.Errorf("%s: the component's child was judged: %v", mode, fs)
		}
	}
}

func onlyPolicy(fs []policy.Finding, name string) []policy.Finding {
	var out []policy.Finding
	for _, f := range fs {
		if f.Policy.Name == name {
			out = append(out, f)
		}
	}
	return out
}
