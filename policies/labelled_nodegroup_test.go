package policies

import "github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"

// nodeGroupSSHCases are issue 18's class 3: SSH that EKS opens itself.
func nodeGroupSSHCases() []lcase {
	sg := "security-group-no-unrestricted-ingress"
	src := "pulumi-aws schema, aws.eks.NodeGroup remoteAccess (NodeGroupRemoteAccess)"
	return []lcase{
		{name: "managed node group with an SSH key and no source groups", source: src,
			rs:   []*fixture.Res{ng(typeEKSNodeGroup, "workers", map[string]any{"ec2SshKey": "ops"})},
			want: labels{sg: vio("EKS opens port 22 on every node to 0.0.0.0/0")}},
		{name: "eks component managed node group with an SSH key and no source groups", source: src +
			"; @pulumi/eks ManagedNodeGroup passes remoteAccess through",
			rs:   []*fixture.Res{ng(typeEKSManagedNodeGroup, "workers", map[string]any{"ec2SshKey": "ops"})},
			want: labels{sg: vio("the component's node group gets the same open port 22")}},
		{name: "managed node group with an SSH key and a bastion's group", source: src,
			rs: []*fixture.Res{ng(typeEKSNodeGroup, "workers", map[string]any{"ec2SshKey": "ops",
				"sourceSecurityGroupIds": []any{"sg-0bastion"}})},
			want: labels{sg: pass("only the bastion's group reaches port 22")}},
		{name: "managed node group whose SSH key is not known until update", source: src,
			rs:   []*fixture.Res{ng(typeEKSNodeGroup, "workers", map[string]any{"ec2SshKey": fixture.Unknown})},
			want: labels{sg: unv("whether a key is set is not known in preview")}},
	}
}
