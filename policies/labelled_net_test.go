package policies

import "github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"

// netCases are issues 19 and 20's network rows: Azure network security
// groups and Google Cloud firewall rules, judged by
// security-group-no-unrestricted-ingress. The aks-hosted and gke-hosted
// installers create neither (the AKS one a VirtualNetwork and a Subnet
// without a network security group, the GKE one an auto-mode Network and
// no firewall rule): their shapes are the first cases, and the platform's
// own defaults the rest.
func netCases() []lcase {
	sg := "security-group-no-unrestricted-ingress"
	aks := "pulumi-self-hosted-installers aks-hosted/01-infrastructure/network.ts"
	gke := "pulumi-self-hosted-installers gke-hosted/01-infrastructure/network.ts"
	nsgSrc := "@pulumi/azure-native v3 network.NetworkSecurityGroup securityRules (SecurityRuleArgs)"
	ruleSrc := "@pulumi/azure-native v3 network.SecurityRule (SecurityRuleArgs)"
	fwSrc := "@pulumi/gcp 9 compute.Firewall (FirewallArgs, FirewallAllow)"
	return []lcase{
		{name: "aks-hosted network: a VirtualNetwork and a Subnet, no network security group", source: aks,
			rs: []*fixture.Res{
				fixture.R(typeAzureVNet, "pulumi-vnet", m{"resourceGroupName": azureRG,
					"addressSpace": m{"addressPrefixes": l{"10.2.0.0/16"}}}),
				fixture.R(typeAzureSubnet, "pulumi-snet", m{"resourceGroupName": azureRG,
					"virtualNetworkName": fixture.OutputOf("pulumi-vnet", "name"), "addressPrefix": "10.2.1.0/24",
					"serviceEndpoints": l{m{"service": "Microsoft.Sql"}}}).Deps("virtualNetworkName", "pulumi-vnet"),
			},
			want: labels{sg: pass("no network security group or rule exists to admit anyone")}},
		{name: "gke-hosted network: an auto-mode Network, no firewall rule", source: gke,
			rs: []*fixture.Res{fixture.R(typeGCPNetwork, "pulumi-network", m{"autoCreateSubnetworks": true,
				"routingMode": "REGIONAL"})},
			want: labels{sg: pass("no firewall rule admits anyone; the implied ingress rule denies")}},
		{name: "gke-hosted network with SSH open to the world on every instance", source: gke + "; " + fwSrc,
			rs: []*fixture.Res{fixture.R(typeGCPNetwork, "pulumi-network", m{"autoCreateSubnetworks": true}),
				fixture.R(typeGCPFirewall, "allow-ssh", m{"network": fixture.ID("pulumi-network"),
					"allows": tcp("22"), "sourceRanges": l{"0.0.0.0/0"}})},
			want: labels{sg: vio("0.0.0.0/0 reaches port 22 on all instances of the network")}},
		{name: "firewall rule with no source at all", source: fwSrc + "; hashicorp/terraform-provider-google#6789",
			rs:   []*fixture.Res{fixture.R(typeGCPFirewall, "allow-db", m{"network": "default", "allows": tcp("5432")})},
			want: labels{sg: vio("with no sourceRanges, sourceTags or sourceServiceAccounts Google Cloud admits 0.0.0.0/0")}},
		{name: "firewall rule for SSH through Identity-Aware Proxy", source: fwSrc,
			rs: []*fixture.Res{fixture.R(typeGCPFirewall, "allow-iap", m{"network": "default", "allows": tcp("22"),
				"sourceRanges": l{gcpIAPRange}, "targetTags": l{"ssh"}})},
			want: labels{sg: pass("only IAP's forwarders reach port 22")}},
		{name: "firewall rule for internal traffic on every port", source: fwSrc,
			rs: []*fixture.Res{fixture.R(typeGCPFirewall, "allow-internal", m{"network": "default",
				"allows":       l{m{"protocol": "tcp", "ports": l{"0-65535"}}, m{"protocol": "udp"}, m{"protocol": "icmp"}},
				"sourceRanges": l{"10.128.0.0/9"}})},
			want: labels{sg: pass("the auto-mode subnets' range is private")}},
		{name: "firewall rule open to the world shadowed by a deny of higher priority", source: fwSrc,
			rs: []*fixture.Res{
				fixture.R(typeGCPFirewall, "allow-db", m{"network": "default", "allows": tcp("3306"),
					"sourceRanges": l{"0.0.0.0/0"}, "priority": 1000}),
				fixture.R(typeGCPFirewall, "deny-db", m{"network": "default", "denies": tcp("3306"),
					"sourceRanges": l{"0.0.0.0/0"}, "priority": 500})},
			want: labels{sg: pass("the deny is evaluated first")}},
		{name: "firewall rule whose sourceRanges are not known until update", source: fwSrc,
			rs: []*fixture.Res{fixture.R(typeGCPFirewall, "allow-ssh", m{"network": "default", "allows": tcp("22"),
				"sourceRanges": fixture.Unknown})},
			want: labels{sg: unv("the ranges are not known in preview")}},
		{name: "network security group with SSH open to Internet", source: nsgSrc,
			rs:   []*fixture.Res{nsg("pulumi-nsg", nsgRule("AllowSSH", 1000, "Allow", "Internet", "22"))},
			want: labels{sg: vio("Internet reaches port 22")}},
		{name: "network security group with * to every port", source: nsgSrc,
			rs: []*fixture.Res{nsg("pulumi-nsg", with(nsgRule("AllowAll", 100, "Allow", "*", "*"),
				m{"protocol": "*"}))},
			want: labels{sg: vio("every port is open to every address")}},
		{name: "network security group admitting HTTPS from Internet and the rest from the virtual network",
			source: nsgSrc,
			rs: []*fixture.Res{nsg("pulumi-nsg", nsgRule("https", 100, "Allow", "Internet", "443"),
				with(nsgRule("vnet", 200, "Allow", "VirtualNetwork", "*"), m{"protocol": "*"}))},
			want: labels{sg: pass("443 is not sensitive; VirtualNetwork is not the internet")}},
		{name: "network security group denying SSH before allowing it", source: nsgSrc,
			rs: []*fixture.Res{nsg("pulumi-nsg", nsgRule("AllowSSH", 200, "Allow", "*", "22"),
				nsgRule("DenySSH", 100, "Deny", "Internet", "22"))},
			want: labels{sg: pass("the Deny has the lower priority number")}},
		{name: "SecurityRule resource opening MySQL to Internet", source: ruleSrc,
			rs: []*fixture.Res{nsgWithName("pulumi-nsg"),
				secRule("mysql", "pulumi-nsg", nsgRule("AllowMySQL", 300, "Allow", "Internet", "3306"))},
			want: labels{sg: vio("Internet reaches port 3306")}},
		{name: "SecurityRule resource with a malformed port range", source: ruleSrc,
			rs: []*fixture.Res{nsgWithName("pulumi-nsg"),
				secRule("mysql", "pulumi-nsg", nsgRule("AllowMySQL", 300, "Allow", "Internet", "3306-"))},
			want: labels{sg: unv("the port range cannot be read")}},
	}
}
