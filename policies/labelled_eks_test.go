package policies

import (
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/kube"
)

// Labelled cases of issue 11 (EKS, part 2): the edge an Ingress or a
// LoadBalancer Service makes, NetworkPolicies between the tiers, the EKS
// cluster's endpoint and Secrets encryption, and node groups given as
// @pulumi/eks components. Shapes follow the EKS installer
// (pulumi/pulumi-self-hosted-installers, eks-hosted: 05-eks-cluster,
// 10-cluster-svcs, 90-pulumi-service), the AWS Load Balancer Controller's and
// ingress-nginx's annotation references, and the Kubernetes and pulumi-aws
// API docs. labelledCases (labelled_test.go) appends eksCases.

const (
	tIngress     = kube.TypeIngress
	tService     = kube.TypeService
	tNetPol      = typeNetworkPolicy
	tAddon       = typeEKSAddon
	tEKSCluster  = typeEKSCluster
	tEKSComp     = typeEKSComponentCluster
	tEKSManaged  = typeEKSManagedNodeGroup
	tEKSNodeV2   = typeEKSNodeGroupV2
	eksKMSKeyArn = "arn:aws:kms:us-west-2:123456789012:key/5e6f7a8b-1c2d-4e3f-9a0b-c1d2e3f4a5b6"
	extSG        = "sg-0a1b2c3d4e5f60718" // the installer's ALB group, made by another stack
	adminCIDR    = "198.51.100.0/24"      // administrators' range for the EKS API endpoint
)

// Pod template labels of the service workloads.
var (
	apiPodLabels     = m{"app.kubernetes.io/name": "pulumi-api", "app.kubernetes.io/part-of": "pulumi-service"}
	consolePodLabels = m{"app.kubernetes.io/name": "pulumi-console", "app.kubernetes.io/part-of": "pulumi-service"}
)

// labelPods gives a Deployment's pod template (and its selector) labels.
func labelPods(r *fixture.Res, labels m) *fixture.Res {
	spec := r.Inputs["spec"].(map[string]any)
	tpl := spec["template"].(map[string]any)
	tpl["metadata"] = m{"labels": labels}
	spec["selector"] = m{"matchLabels": m{"app.kubernetes.io/name": labels["app.kubernetes.io/name"]}}
	return r
}

// fromIngressController admits the AWS Load Balancer Controller's and
// ingress-nginx's pods and the VPC's private range (an ALB in ip target mode
// reaches the pods from its addresses in the VPC).
func fromIngressController() l {
	return l{
		m{"namespaceSelector": m{"matchLabels": m{"kubernetes.io/metadata.name": "ingress-nginx"}},
			"podSelector": m{"matchLabels": m{"app.kubernetes.io/name": "ingress-nginx"}}},
		m{"ipBlock": m{"cidr": "10.0.0.0/16"}},
	}
}

// kNetworkPolicy is a NetworkPolicy in namespace "pulumi".
func kNetworkPolicy(name string, spec m) *fixture.Res {
	return fixture.R(tNetPol, name, m{"metadata": m{"namespace": "pulumi", "name": name}, "spec": spec})
}

// tierNetworkPolicy is the hardened NetworkPolicy: it selects the API and
// Console pods and admits the ingress controller and the VPC only.
func tierNetworkPolicy() *fixture.Res {
	return kNetworkPolicy("pulumi-service-ingress", m{
		"podSelector": m{"matchLabels": m{"app.kubernetes.io/part-of": "pulumi-service"}},
		"policyTypes": l{"Ingress"},
		"ingress": l{m{"from": fromIngressController(),
			"ports": l{m{"protocol": "TCP", "port": 8080}, m{"protocol": "TCP", "port": 3000}}}},
	})
}

// tierWorkloads are the hardened API and Console Deployments with their pod
// labels, and the given NetworkPolicies (tierNetworkPolicy when none).
func tierWorkloads(api m, policies ...*fixture.Res) []*fixture.Res {
	if len(policies) == 0 {
		policies = []*fixture.Res{tierNetworkPolicy()}
	}
	return append([]*fixture.Res{labelPods(apiDeployment(api, kubeMigrations()), apiPodLabels),
		labelPods(deployment("pulumi-console", kubeConsole()), consolePodLabels)}, policies...)
}

// withIngress is a NetworkPolicy spec selecting the service pods with these
// ingress rules and policyTypes.
func withIngress(selector m, types l, rules l) m {
	s := m{"podSelector": selector, "ingress": rules}
	if types != nil {
		s["policyTypes"] = types
	}
	return s
}

var partOfService = m{"matchLabels": m{"app.kubernetes.io/part-of": "pulumi-service"}}

// Annotations of the installer's Ingresses (90-pulumi-service): ALB,
// internet-facing, HTTP and HTTPS, a certificate and a security group from
// another stack; no ssl-redirect, ssl-policy or inbound-cidrs.
func installerALB() m {
	return m{
		"kubernetes.io/ingress.class":                "alb",
		"alb.ingress.kubernetes.io/scheme":           "internet-facing",
		"alb.ingress.kubernetes.io/target-type":      "ip",
		"alb.ingress.kubernetes.io/listen-ports":     `[{"HTTP": 80}, {"HTTPS": 443}]`,
		"alb.ingress.kubernetes.io/certificate-arn":  acmCert,
		"alb.ingress.kubernetes.io/security-groups":  extSG,
		"alb.ingress.kubernetes.io/healthcheck-path": "/api/status",
	}
}

// hardenedALB redirects HTTP, pins a TLS 1.2+ policy and admits the
// allowlist only.
func hardenedALB() m {
	return with(installerALB(), m{
		"alb.ingress.kubernetes.io/security-groups": nil,
		"alb.ingress.kubernetes.io/ssl-redirect":    "443",
		"alb.ingress.kubernetes.io/ssl-policy":      tls12,
		"alb.ingress.kubernetes.io/inbound-cidrs":   allowCIDR,
	})
}

func rulesTo(host, service string, port int) m {
	return m{"rules": l{m{"host": host, "http": m{"paths": l{m{"path": "/", "pathType": "Prefix",
		"backend": m{"service": m{"name": service, "port": m{"number": port}}}}}}}}}
}

// kIngress is an Ingress in namespace "pulumi" in front of the API service.
func kIngress(name string, annotations any, spec m) *fixture.Res {
	s := with(rulesTo("api.pulumi.example.com", "pulumi-api", 80), spec)
	return fixture.R(tIngress, name, m{"metadata": m{"namespace": "pulumi", "name": name, "annotations": annotations},
		"spec": s})
}

func nginxTLS() m {
	return m{"ingressClassName": "nginx", "tls": l{m{"hosts": l{"api.pulumi.example.com"}, "secretName": "api-tls"}}}
}

// kService is a Service of the API pods with these annotations and spec.
func kService(name string, annotations any, spec m) *fixture.Res {
	s := with(m{"type": "LoadBalancer", "selector": m{"app.kubernetes.io/name": "pulumi-api"},
		"ports": l{m{"name": "https", "port": 443, "targetPort": 8080, "protocol": "TCP"}}}, spec)
	return fixture.R(tService, name, m{"metadata": m{"namespace": "pulumi", "name": name, "annotations": annotations},
		"spec": s})
}

// nlbAnnotations are an internet-facing NLB of the AWS Load Balancer
// Controller.
func nlbAnnotations(extra m) m {
	return with(m{"service.beta.kubernetes.io/aws-load-balancer-type": "external",
		"service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
		"service.beta.kubernetes.io/aws-load-balancer-scheme":          "internet-facing"}, extra)
}

func allowlistFor(cidrs ...any) map[string]m {
	return map[string]m{"load-balancer-ingress-allowlist": {"ingressAllowList": l(cidrs)}}
}

// eksCluster is an aws:eks/cluster:Cluster with its vpcConfig; encrypted
// Secrets unless extra says otherwise.
func eksCluster(vpc m, extra m) *fixture.Res {
	return fixture.R(tEKSCluster, "cluster", with(m{"name": "pulumi-selfhosted", "version": "1.31",
		"roleArn":          "arn:aws:iam::123456789012:role/pulumi-eks-cluster",
		"vpcConfig":        with(m{"subnetIds": l{"subnet-0priv1", "subnet-0priv2"}}, vpc),
		"encryptionConfig": m{"provider": m{"keyArn": eksKMSKeyArn}, "resources": l{"secrets"}}}, extra))
}

var privateEndpoint = m{"endpointPrivateAccess": true, "endpointPublicAccess": false}

// eksComponent is the eks:index:Cluster component in the installer's shape
// (05-eks-cluster), with extra inputs.
func eksComponent(extra m) *fixture.Res {
	return fixture.R(tEKSComp, "eks", with(m{"vpcId": "vpc-0abc", "publicSubnetIds": l{"subnet-0pub1", "subnet-0pub2"},
		"privateSubnetIds": l{"subnet-0priv1", "subnet-0priv2"}, "skipDefaultNodeGroup": true,
		"createOidcProvider": true, "version": "1.31", "nodeAssociatePublicIpAddress": false}, extra))
}

var hardenedComponent = m{"endpointPublicAccess": false, "endpointPrivateAccess": true,
	"encryptionConfigKeyArn": eksKMSKeyArn}

func vpcCNI(extra m) *fixture.Res {
	return fixture.R(tAddon, "vpc-cni", with(m{"clusterName": "pulumi-selfhosted", "addonName": "vpc-cni",
		"addonVersion": "v1.19.2-eksbuild.1"}, extra))
}

func eksCases() []lcase {
	allow := allowlistFor(allowCIDR)
	const (
		aLB  = "load-balancer-ingress-allowlist"
		tls  = "load-balancer-tls"
		np   = "network-policies-between-tiers"
		ep   = "eks-endpoint-restricted"
		sec  = "eks-secrets-encrypted"
		app  = "app-in-private-subnets"
		docs = "AWS Load Balancer Controller docs: ingress annotations"
		ngx  = "ingress-nginx docs: annotations (whitelist-source-range, ssl-redirect), Ingress spec.tls"
		svcs = "AWS Load Balancer Controller docs: service annotations; Kubernetes docs: Service type LoadBalancer"
		nps  = "Kubernetes docs: NetworkPolicy"
	)
	albSG := func(name string, rules ...any) *fixture.Res {
		return fixture.R(tSG, "alb-sg", m{"name": name, "vpcId": "vpc-0abc", "ingress": l(rules)})
	}
	return []lcase{
		// The AWS Load Balancer Controller.
		{name: "eks installer api ingress", source: "EKS installer (eks-hosted): 90-pulumi-service api Ingress",
			rs: []*fixture.Res{kIngress("api-ingress", installerALB(), nil)},
			want: labels{
				tls: vio("HTTP 80 without ssl-redirect, and no ssl-policy (the default ELBSecurityPolicy-2016-08)"),
				aLB: unv("security group " + extSG + " is made by another stack"),
			}},
		{name: "eks installer console ingress with the allowlist set", source: "EKS installer (eks-hosted): console Ingress, allowlist configured",
			rs:  []*fixture.Res{kIngress("console-ingress", installerALB(), rulesTo("app.pulumi.example.com", "pulumi-console", 80))},
			cfg: allow,
			want: labels{
				tls: vio("HTTP 80 forwarded and the default TLS 1.0 policy"),
				aLB: unv("the outside group cannot be verified, whatever the allowlist"),
			}},
		{name: "hardened alb ingress", source: docs + "; hardened per the guide",
			rs: []*fixture.Res{kIngress("api-ingress", hardenedALB(), nil)}, cfg: allow,
			want: labels{tls: pass("ssl-redirect 443 and a TLS 1.3/1.2 policy"), aLB: pass("inbound-cidrs inside the allowlist")}},
		{name: "alb ingress inbound-cidrs open to everyone", source: docs + ": inbound-cidrs",
			rs:   []*fixture.Res{kIngress("api-ingress", with(hardenedALB(), m{"alb.ingress.kubernetes.io/inbound-cidrs": "0.0.0.0/0"}), nil)},
			cfg:  allow,
			want: labels{aLB: vio("0.0.0.0/0 is outside the allowlist"), tls: pass("hardened TLS")}},
		{name: "alb ingress inbound-cidrs without an allowlist", source: docs + ": inbound-cidrs, pack default config",
			rs:   []*fixture.Res{kIngress("api-ingress", hardenedALB(), nil)},
			want: labels{aLB: vio("no allowlist configured: a public range is not allowed"), tls: pass("hardened TLS")}},
		{name: "alb ingress inbound-cidrs private and allowlisted", source: docs + ": inbound-cidrs, several ranges",
			rs:   []*fixture.Res{kIngress("api-ingress", with(hardenedALB(), m{"alb.ingress.kubernetes.io/inbound-cidrs": "10.0.0.0/8, " + allowCIDR}), nil)},
			cfg:  allow,
			want: labels{aLB: pass("a private range and the allowlist"), tls: pass("hardened TLS")}},
		{name: "alb ingress internal scheme", source: docs + ": scheme internal",
			rs: []*fixture.Res{kIngress("api-ingress", with(hardenedALB(), m{"alb.ingress.kubernetes.io/scheme": "internal",
				"alb.ingress.kubernetes.io/inbound-cidrs": nil}), nil)},
			want: labels{aLB: pass("an internal load balancer is not judged for the allowlist"), tls: pass("hardened TLS")}},
		{name: "alb ingress default scheme", source: docs + ": scheme defaults to internal",
			rs: []*fixture.Res{kIngress("api-ingress", with(hardenedALB(), m{"alb.ingress.kubernetes.io/scheme": nil,
				"alb.ingress.kubernetes.io/inbound-cidrs": nil}), nil)},
			want: labels{aLB: pass("the controller's default scheme is internal"), tls: pass("hardened TLS")}},
		{name: "alb ingress admits everyone", source: docs + ": no inbound-cidrs, no security-groups",
			rs:   []*fixture.Res{kIngress("api-ingress", with(hardenedALB(), m{"alb.ingress.kubernetes.io/inbound-cidrs": nil}), nil)},
			cfg:  allow,
			want: labels{aLB: vio("the controller's own group admits 0.0.0.0/0"), tls: pass("hardened TLS")}},
		{name: "alb ingress with an open in-stack group", source: docs + ": security-groups naming a group of the stack",
			rs: []*fixture.Res{albSG("pulumi-alb", tcpIn(443, "0.0.0.0/0"), tcpIn(80, "0.0.0.0/0")),
				kIngress("api-ingress", with(installerALB(), m{"alb.ingress.kubernetes.io/security-groups": "pulumi-alb",
					"alb.ingress.kubernetes.io/ssl-redirect": "443", "alb.ingress.kubernetes.io/ssl-policy": tls12}), nil)},
			cfg:  allow,
			want: labels{aLB: vio("the named group admits 0.0.0.0/0 on 80 and 443"), tls: pass("hardened TLS")}},
		{name: "alb ingress with an allowlisted in-stack group", source: docs + ": security-groups naming a group of the stack",
			rs: []*fixture.Res{albSG("pulumi-alb", tcpIn(443, allowCIDR), tcpIn(80, allowCIDR)),
				kIngress("api-ingress", with(installerALB(), m{"alb.ingress.kubernetes.io/security-groups": "pulumi-alb",
					"alb.ingress.kubernetes.io/ssl-redirect": "443", "alb.ingress.kubernetes.io/ssl-policy": tls12}), nil)},
			cfg:  allow,
			want: labels{aLB: pass("the named group admits the allowlist only"), tls: pass("hardened TLS")}},
		{name: "alb ingress with an in-stack group by id", source: docs + ": security-groups from a group's id output",
			rs: []*fixture.Res{albSG("pulumi-alb", tcpIn(443, allowCIDR)),
				kIngress("api-ingress", with(installerALB(), m{"alb.ingress.kubernetes.io/security-groups": fixture.ID("alb-sg"),
					"alb.ingress.kubernetes.io/ssl-redirect": "443", "alb.ingress.kubernetes.io/ssl-policy": tls12}), nil)},
			cfg:  allow,
			want: labels{aLB: pass("the group (id known in update) admits the allowlist only"), tls: pass("hardened TLS")}},
		{name: "alb ingress malformed listen-ports", source: docs + ": listen-ports is a JSON list",
			rs:  []*fixture.Res{kIngress("api-ingress", with(hardenedALB(), m{"alb.ingress.kubernetes.io/listen-ports": `[{"HTTPS": 443}`}), nil)},
			cfg: allow,
			want: labels{tls: unv("listen-ports is not JSON: the listeners cannot be judged"),
				aLB: pass("inbound-cidrs inside the allowlist; the allowlist does not depend on the listeners")}},
		{name: "alb ingress plain http only", source: docs + ": listen-ports HTTP 80, no certificate",
			rs: []*fixture.Res{kIngress("api-ingress", with(hardenedALB(), m{"alb.ingress.kubernetes.io/listen-ports": `[{"HTTP": 80}]`,
				"alb.ingress.kubernetes.io/certificate-arn": nil, "alb.ingress.kubernetes.io/ssl-redirect": nil}), nil)},
			cfg:  allow,
			want: labels{tls: vio("no HTTPS listener"), aLB: pass("inbound-cidrs inside the allowlist")}},
		{name: "alb ingress tls 1.0 policy", source: docs + ": ssl-policy",
			rs:   []*fixture.Res{kIngress("api-ingress", with(hardenedALB(), m{"alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS-1-0-2015-04"}), nil)},
			cfg:  allow,
			want: labels{tls: vio("ssl-policy allows TLS 1.0"), aLB: pass("inbound-cidrs inside the allowlist")}},
		{name: "alb ingress https only by default", source: docs + ": without listen-ports, HTTPS 443 when a certificate is set",
			rs: []*fixture.Res{kIngress("api-ingress", with(hardenedALB(), m{"alb.ingress.kubernetes.io/listen-ports": nil,
				"alb.ingress.kubernetes.io/ssl-redirect": nil}), nil)},
			cfg:  allow,
			want: labels{tls: pass("HTTPS 443 only, TLS 1.2+ policy"), aLB: pass("inbound-cidrs inside the allowlist")}},
		{name: "alb ingress by ingressClassName", source: docs + ": spec.ingressClassName alb",
			rs: []*fixture.Res{kIngress("api-ingress", with(installerALB(), m{"kubernetes.io/ingress.class": nil,
				"alb.ingress.kubernetes.io/security-groups": nil, "alb.ingress.kubernetes.io/inbound-cidrs": allowCIDR}),
				m{"ingressClassName": "alb"})},
			cfg:  allow,
			want: labels{tls: vio("HTTP without ssl-redirect and the default policy"), aLB: pass("inbound-cidrs inside the allowlist")}},
		{name: "alb ingress annotations unknown", source: docs + "; annotations from an output",
			rs: []*fixture.Res{kIngress("api-ingress", fixture.Unknown, nil)}, cfg: allow,
			want: labels{tls: unv("annotations not known"), aLB: unv("annotations not known")}},
		{name: "ingress of another controller", source: "Kubernetes docs: Ingress with ingressClassName traefik",
			rs:   []*fixture.Res{kIngress("api-ingress", m{"traefik.ingress.kubernetes.io/router.entrypoints": "web"}, m{"ingressClassName": "traefik"})},
			want: labels{tls: pass("not a controller the pack reads"), aLB: pass("not a controller the pack reads")}},

		// ingress-nginx.
		{name: "nginx ingress without tls", source: ngx,
			rs: []*fixture.Res{kIngress("api-ingress", m{"nginx.ingress.kubernetes.io/whitelist-source-range": allowCIDR},
				m{"ingressClassName": "nginx"})},
			cfg:  allow,
			want: labels{tls: vio("no spec.tls: plain HTTP only"), aLB: pass("whitelist-source-range inside the allowlist")}},
		{name: "nginx ingress with ssl-redirect off", source: ngx,
			rs: []*fixture.Res{kIngress("api-ingress", m{"nginx.ingress.kubernetes.io/whitelist-source-range": allowCIDR,
				"nginx.ingress.kubernetes.io/ssl-redirect": "false"}, nginxTLS())},
			cfg:  allow,
			want: labels{tls: vio("ssl-redirect false serves plain HTTP beside HTTPS"), aLB: pass("whitelist-source-range inside the allowlist")}},
		{name: "hardened nginx ingress", source: ngx + "; hardened",
			rs:   []*fixture.Res{kIngress("api-ingress", m{"nginx.ingress.kubernetes.io/whitelist-source-range": allowCIDR}, nginxTLS())},
			cfg:  allow,
			want: labels{tls: pass("spec.tls, redirect on by default"), aLB: pass("whitelist-source-range inside the allowlist")}},
		{name: "nginx ingress whitelist outside the allowlist", source: ngx,
			rs: []*fixture.Res{kIngress("api-ingress", m{"nginx.ingress.kubernetes.io/whitelist-source-range": "192.0.2.0/24," + allowCIDR},
				nginxTLS())},
			cfg:  allow,
			want: labels{aLB: vio("192.0.2.0/24 is outside the allowlist"), tls: pass("spec.tls")}},
		{name: "nginx ingress without a whitelist", source: ngx,
			rs:   []*fixture.Res{kIngress("api-ingress", m{"nginx.ingress.kubernetes.io/proxy-body-size": "50m"}, nginxTLS())},
			cfg:  allow,
			want: labels{aLB: vio("no whitelist-source-range: everyone the controller admits"), tls: pass("spec.tls")}},
		{name: "nginx ingress force-ssl-redirect", source: ngx + ": force-ssl-redirect overrides ssl-redirect",
			rs: []*fixture.Res{kIngress("api-ingress", m{"nginx.ingress.kubernetes.io/whitelist-source-range": allowCIDR,
				"nginx.ingress.kubernetes.io/ssl-redirect": "false", "nginx.ingress.kubernetes.io/force-ssl-redirect": "true"},
				nginxTLS())},
			cfg:  allow,
			want: labels{tls: pass("force-ssl-redirect redirects"), aLB: pass("whitelist-source-range inside the allowlist")}},

		// Services of type LoadBalancer.
		{name: "service load balancer in-tree default", source: svcs + ": in-tree cloud provider, internet-facing",
			rs:   []*fixture.Res{kService("api-lb", nil, nil)},
			cfg:  allow,
			want: labels{aLB: vio("no loadBalancerSourceRanges: 0.0.0.0/0"), tls: pass("no certificate: TCP passes through to the pods")}},
		{name: "service nlb internal", source: svcs + ": aws-load-balancer-scheme internal",
			rs:   []*fixture.Res{kService("api-lb", nlbAnnotations(m{"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"}), nil)},
			want: labels{aLB: pass("internal"), tls: pass("no certificate")}},
		{name: "service in-tree internal", source: svcs + ": aws-load-balancer-internal true",
			rs:   []*fixture.Res{kService("api-lb", m{"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}, nil)},
			want: labels{aLB: pass("internal"), tls: pass("no certificate")}},
		{name: "service nlb source ranges inside", source: svcs + ": loadBalancerSourceRanges",
			rs:   []*fixture.Res{kService("api-lb", nlbAnnotations(nil), m{"loadBalancerSourceRanges": l{allowCIDR, "10.0.0.0/16"}})},
			cfg:  allow,
			want: labels{aLB: pass("loadBalancerSourceRanges inside the allowlist"), tls: pass("no certificate")}},
		{name: "service nlb source ranges outside", source: svcs + ": loadBalancerSourceRanges",
			rs:   []*fixture.Res{kService("api-lb", nlbAnnotations(nil), m{"loadBalancerSourceRanges": l{"0.0.0.0/0"}})},
			cfg:  allow,
			want: labels{aLB: vio("0.0.0.0/0 outside the allowlist"), tls: pass("no certificate")}},
		{name: "service nlb tls without negotiation policy", source: svcs + ": aws-load-balancer-ssl-cert",
			rs: []*fixture.Res{kService("api-lb", nlbAnnotations(m{"service.beta.kubernetes.io/aws-load-balancer-ssl-cert": acmCert,
				"service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "443"}), m{"loadBalancerSourceRanges": l{allowCIDR}})},
			cfg:  allow,
			want: labels{tls: vio("no ssl-negotiation-policy: ELBSecurityPolicy-2016-08"), aLB: pass("loadBalancerSourceRanges inside")}},
		{name: "service nlb tls with a tls 1.2 policy", source: svcs + ": aws-load-balancer-ssl-negotiation-policy",
			rs: []*fixture.Res{kService("api-lb", nlbAnnotations(m{"service.beta.kubernetes.io/aws-load-balancer-ssl-cert": acmCert,
				"service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": tls12}), m{"loadBalancerSourceRanges": l{allowCIDR}})},
			cfg:  allow,
			want: labels{tls: pass("a TLS 1.3/1.2 policy"), aLB: pass("loadBalancerSourceRanges inside")}},
		{name: "service clusterip", source: "Kubernetes docs: Service type ClusterIP",
			rs:   []*fixture.Res{kService("api", nil, m{"type": "ClusterIP"})},
			want: labels{tls: pass("not a load balancer"), aLB: pass("not a load balancer")}},
		{name: "service nlb by open in-stack group", source: svcs + ": aws-load-balancer-security-groups",
			rs: []*fixture.Res{albSG("pulumi-nlb", tcpIn(443, "0.0.0.0/0")),
				kService("api-lb", nlbAnnotations(m{"service.beta.kubernetes.io/aws-load-balancer-security-groups": "pulumi-nlb"}), nil)},
			cfg:  allow,
			want: labels{aLB: vio("the named group admits 0.0.0.0/0"), tls: pass("no certificate")}},

		// NetworkPolicies between the tiers.
		{name: "networkpolicy admits the ingress controller's pods only", source: nps + ": podSelector and namespaceSelector peers",
			rs: tierWorkloads(kubeAPI(), kNetworkPolicy("np", withIngress(partOfService, l{"Ingress"},
				l{m{"from": l{m{"podSelector": m{"matchLabels": m{"app.kubernetes.io/name": "ingress-nginx"}}}}}}))),
			want: labels{np: pass("selects the pods and admits named pods only")}},
		{name: "networkpolicy with an empty peer", source: nps + ": from [{}] admits everyone",
			rs:   tierWorkloads(kubeAPI(), kNetworkPolicy("np", withIngress(partOfService, l{"Ingress"}, l{m{"from": l{m{}}}}))),
			want: labels{np: vio("from: [{}] admits every pod")}},
		{name: "networkpolicy rule without from", source: nps + ": an ingress rule without from admits everyone",
			rs: tierWorkloads(kubeAPI(), kNetworkPolicy("np", withIngress(partOfService, l{"Ingress"},
				l{m{"ports": l{m{"protocol": "TCP", "port": 8080}}}}))),
			want: labels{np: vio("no from: everyone on 8080")}},
		{name: "networkpolicy ipblock everywhere", source: nps + ": ipBlock",
			rs: tierWorkloads(kubeAPI(), kNetworkPolicy("np", withIngress(partOfService, l{"Ingress"},
				l{m{"from": l{m{"ipBlock": m{"cidr": "0.0.0.0/0"}}}}}))),
			want: labels{np: vio("ipBlock 0.0.0.0/0 is not private")}},
		{name: "networkpolicy ipblock private", source: nps + ": ipBlock",
			rs: tierWorkloads(kubeAPI(), kNetworkPolicy("np", withIngress(partOfService, l{"Ingress"},
				l{m{"from": l{m{"ipBlock": m{"cidr": "10.0.0.0/8"}}}}}))),
			want: labels{np: pass("a private ipBlock")}},
		{name: "networkpolicy egress only", source: nps + ": policyTypes",
			rs: tierWorkloads(kubeAPI(), kNetworkPolicy("np", m{"podSelector": partOfService, "policyTypes": l{"Egress"},
				"egress": l{m{"to": l{m{"ipBlock": m{"cidr": "10.0.0.0/16"}}}}}})),
			want: labels{np: vio("policyTypes Egress only: ingress not restricted")}},
		{name: "networkpolicy default deny all", source: nps + ": podSelector {} with no ingress rules",
			rs:   tierWorkloads(kubeAPI(), kNetworkPolicy("deny", m{"podSelector": m{}, "policyTypes": l{"Ingress"}})),
			want: labels{np: pass("podSelector {} selects every pod; no rule admits anyone")}},
		{name: "networkpolicy selecting all pods", source: nps + ": podSelector {}",
			rs:   tierWorkloads(kubeAPI(), kNetworkPolicy("np", withIngress(m{}, l{"Ingress"}, l{m{"from": fromIngressController()}}))),
			want: labels{np: pass("podSelector {} selects the service pods")}},
		{name: "networkpolicy policyTypes unset", source: nps + ": policyTypes defaults to Ingress",
			rs:   tierWorkloads(kubeAPI(), kNetworkPolicy("np", withIngress(partOfService, nil, l{m{"from": fromIngressController()}}))),
			want: labels{np: pass("policyTypes unset means Ingress")}},
		{name: "networkpolicy matchExpressions In", source: nps + ": matchExpressions",
			rs: tierWorkloads(kubeAPI(), kNetworkPolicy("np", withIngress(m{"matchExpressions": l{m{"key": "app.kubernetes.io/name",
				"operator": "In", "values": l{"pulumi-api", "pulumi-console"}}}}, l{"Ingress"}, l{m{"from": fromIngressController()}}))),
			want: labels{np: pass("In selects both")}},
		{name: "networkpolicy matchExpressions NotIn console", source: nps + ": matchExpressions",
			rs: tierWorkloads(kubeAPI(), kNetworkPolicy("np", withIngress(m{"matchExpressions": l{m{"key": "app.kubernetes.io/name",
				"operator": "NotIn", "values": l{"pulumi-console"}}}}, l{"Ingress"}, l{m{"from": fromIngressController()}}))),
			want: labels{np: vio("the Console pods are not selected")}},
		{name: "networkpolicy matchExpressions NotIn others", source: nps + ": matchExpressions",
			rs: tierWorkloads(kubeAPI(), kNetworkPolicy("np", withIngress(m{"matchExpressions": l{m{"key": "app.kubernetes.io/name",
				"operator": "NotIn", "values": l{"worker"}}}}, l{"Ingress"}, l{m{"from": fromIngressController()}}))),
			want: labels{np: pass("NotIn worker selects both")}},
		{name: "networkpolicy in another namespace", source: nps + ": a NetworkPolicy applies to its own namespace",
			rs: tierWorkloads(kubeAPI(), fixture.R(tNetPol, "np", m{"metadata": m{"namespace": "ingress-nginx", "name": "np"},
				"spec": withIngress(partOfService, l{"Ingress"}, l{m{"from": fromIngressController()}})})),
			want: labels{np: vio("the policy is in namespace ingress-nginx, the pods in pulumi")}},
		{name: "networkpolicy missing", source: "EKS installer (eks-hosted): 90-pulumi-service has no NetworkPolicy",
			rs:   tierWorkloads(kubeAPI(), fixture.R(tConfigMap, "unrelated", m{"metadata": m{"namespace": "pulumi", "name": "unrelated"}, "data": m{"A": "b"}})),
			want: labels{np: vio("no NetworkPolicy selects the API/Console pods")}},
		{name: "networkpolicy open beside a restrictive one", source: nps + ": policies are additive, an allow-all one opens the pods",
			rs: tierWorkloads(kubeAPI(), tierNetworkPolicy(),
				kNetworkPolicy("allow-all", withIngress(partOfService, l{"Ingress"}, l{m{"from": l{m{}}}}))),
			want: labels{np: vio("the allow-all policy admits everyone; NetworkPolicies add up")}},
		{name: "vpc-cni without network policy support", source: "Amazon EKS docs: VPC CNI network policies; pulumi-aws aws.eks.Addon",
			rs:   append(tierWorkloads(kubeAPI()), vpcCNI(nil)),
			want: labels{np: vio("configurationValues unset: NetworkPolicies are not enforced")}},
		{name: "vpc-cni with network policy support", source: "Amazon EKS docs: VPC CNI enableNetworkPolicy",
			rs:   append(tierWorkloads(kubeAPI()), vpcCNI(m{"configurationValues": `{"enableNetworkPolicy":"true"}`})),
			want: labels{np: pass("enableNetworkPolicy true")}},
		{name: "vpc-cni with network policy support off", source: "Amazon EKS docs: VPC CNI enableNetworkPolicy",
			rs:   append(tierWorkloads(kubeAPI()), vpcCNI(m{"configurationValues": `{"enableNetworkPolicy":"false","env":{"ENABLE_PREFIX_DELEGATION":"true"}}`})),
			want: labels{np: vio("enableNetworkPolicy false")}},
		{name: "other eks addon", source: "pulumi-aws docs: aws.eks.Addon coredns",
			rs:   append(tierWorkloads(kubeAPI()), fixture.R(tAddon, "coredns", m{"clusterName": "pulumi-selfhosted", "addonName": "coredns"})),
			want: labels{np: pass("only vpc-cni is judged")}},

		// The EKS cluster.
		{name: "eks cluster endpoint unset", source: "pulumi-aws docs: aws.eks.Cluster vpcConfig; EKS default public endpoint",
			rs:   []*fixture.Res{eksCluster(nil, nil)},
			want: labels{ep: vio("endpointPublicAccess defaults to true, open to 0.0.0.0/0"), sec: pass("encryptionConfig secrets with a key")}},
		{name: "eks cluster public endpoint allowlisted", source: "pulumi-aws docs: aws.eks.Cluster vpcConfig.publicAccessCidrs",
			rs:   []*fixture.Res{eksCluster(m{"endpointPublicAccess": true, "endpointPrivateAccess": true, "publicAccessCidrs": l{adminCIDR}}, nil)},
			cfg:  map[string]m{ep: {"ingressAllowList": l{adminCIDR}}},
			want: labels{ep: pass("publicAccessCidrs inside the allowlist"), sec: pass("encrypted")}},
		{name: "eks cluster public endpoint outside the allowlist", source: "pulumi-aws docs: aws.eks.Cluster vpcConfig.publicAccessCidrs",
			rs:   []*fixture.Res{eksCluster(m{"endpointPublicAccess": true, "publicAccessCidrs": l{"0.0.0.0/0"}}, nil)},
			cfg:  map[string]m{ep: {"ingressAllowList": l{adminCIDR}}},
			want: labels{ep: vio("0.0.0.0/0 outside the allowlist"), sec: pass("encrypted")}},
		{name: "eks cluster private endpoint", source: "pulumi-aws docs: aws.eks.Cluster endpointPublicAccess false",
			rs:   []*fixture.Res{eksCluster(privateEndpoint, nil)},
			want: labels{ep: pass("private only"), sec: pass("encrypted")}},
		{name: "eks cluster without secrets encryption", source: "pulumi-aws docs: aws.eks.Cluster encryptionConfig",
			rs:   []*fixture.Res{eksCluster(privateEndpoint, m{"encryptionConfig": nil})},
			want: labels{sec: vio("no encryptionConfig"), ep: pass("private only")}},
		{name: "eks cluster encryption without secrets", source: "pulumi-aws docs: aws.eks.Cluster encryptionConfig.resources",
			rs:   []*fixture.Res{eksCluster(privateEndpoint, m{"encryptionConfig": m{"provider": m{"keyArn": eksKMSKeyArn}, "resources": l{}}})},
			want: labels{sec: vio("resources lacks secrets"), ep: pass("private only")}},
		{name: "eks cluster encryption as a list", source: "pulumi-aws v6 docs: aws.eks.Cluster encryptionConfig, list form",
			rs: []*fixture.Res{eksCluster(privateEndpoint, m{"encryptionConfig": l{m{"provider": m{"keyArn": fixture.ID("eks-key")}, "resources": l{"secrets"}}}}),
				fixture.R("aws:kms/key:Key", "eks-key", m{"description": "EKS Secrets", "enableKeyRotation": true})},
			want: labels{sec: pass("the list form with secrets and a key"), ep: pass("private only")}},
		{name: "eks component as the installer makes it", source: "EKS installer (eks-hosted): 05-eks-cluster eks.Cluster",
			rs: []*fixture.Res{eksComponent(nil)},
			want: labels{ep: vio("endpoint inputs unset: public to 0.0.0.0/0"),
				sec: vio("no encryptionConfigKeyArn")}},
		{name: "hardened eks component", source: "EKS installer (eks-hosted) eks.Cluster, hardened",
			rs:   []*fixture.Res{eksComponent(hardenedComponent)},
			want: labels{ep: pass("private endpoint"), sec: pass("encryptionConfigKeyArn set")}},
		{name: "eks component public endpoint allowlisted", source: "@pulumi/eks docs: Cluster publicAccessCidrs",
			rs:   []*fixture.Res{eksComponent(with(hardenedComponent, m{"endpointPublicAccess": true, "publicAccessCidrs": l{adminCIDR}}))},
			cfg:  map[string]m{ep: {"ingressAllowList": l{adminCIDR}}},
			want: labels{ep: pass("publicAccessCidrs inside the allowlist"), sec: pass("encryptionConfigKeyArn set")}},
		{name: "eks component public endpoint open", source: "@pulumi/eks docs: Cluster publicAccessCidrs",
			rs:   []*fixture.Res{eksComponent(with(hardenedComponent, m{"endpointPublicAccess": true, "publicAccessCidrs": l{"0.0.0.0/0"}}))},
			want: labels{ep: vio("0.0.0.0/0 and no allowlist"), sec: pass("encryptionConfigKeyArn set")}},

		// Node groups given as components.
		{name: "managed node group component in public subnets", source: "@pulumi/eks docs: ManagedNodeGroup subnetIds",
			rs: network(fixture.R(tEKSManaged, "workers", m{"cluster": "pulumi-selfhosted", "subnetIds": l{fixture.ID("public-a"), fixture.ID("public-b")},
				"instanceTypes": l{"t3.xlarge"}, "scalingConfig": m{"desiredSize": 3, "minSize": 3, "maxSize": 6}})),
			want: labels{app: vio("subnetIds are public")}},
		{name: "managed node group component in private subnets", source: "EKS installer (eks-hosted): 05-eks-cluster ManagedNodeGroup",
			rs: network(fixture.R(tEKSManaged, "workers", m{"cluster": "pulumi-selfhosted", "subnetIds": l{fixture.ID("private-a"), fixture.ID("private-b")},
				"instanceTypes": l{"t3.xlarge"}})),
			want: labels{app: pass("private subnets")}},
		{name: "node group v2 component in private subnets", source: "@pulumi/eks docs: NodeGroupV2 nodeSubnetIds",
			rs: network(fixture.R(tEKSNodeV2, "workers", m{"cluster": "pulumi-selfhosted", "nodeSubnetIds": l{fixture.ID("private-a"), fixture.ID("private-b")},
				"nodeAssociatePublicIpAddress": false, "instanceType": "t3.xlarge"})),
			want: labels{app: pass("private subnets, no public address")}},
		{name: "node group v2 component with public addresses", source: "@pulumi/eks docs: NodeGroupV2 nodeAssociatePublicIpAddress",
			rs: network(fixture.R(tEKSNodeV2, "workers", m{"cluster": "pulumi-selfhosted", "nodeSubnetIds": l{fixture.ID("private-a")},
				"nodeAssociatePublicIpAddress": true})),
			want: labels{app: vio("nodeAssociatePublicIpAddress true")}},
		{name: "node group component in subnets outside the stack", source: "@pulumi/eks docs: NodeGroup nodeSubnetIds from config",
			rs:   []*fixture.Res{fixture.R(typeEKSComponentNodeGroup, "workers", m{"cluster": "pulumi-selfhosted", "nodeSubnetIds": l{"subnet-0ext1"}})},
			want: labels{app: unv("subnet-0ext1 is not in the stack")}},

		// Whole stacks.
		{name: "eks installer as deployed", source: "EKS installer (eks-hosted): 05-eks-cluster, 10-cluster-svcs, 90-pulumi-service",
			rs: append(network(eksComponent(nil),
				fixture.R(tEKSManaged, "workers", m{"cluster": "pulumi-selfhosted", "subnetIds": l{fixture.ID("private-a"), fixture.ID("private-b")}}),
				vpcCNI(nil),
				kIngress("api-ingress", installerALB(), nil),
				kIngress("console-ingress", installerALB(), rulesTo("app.pulumi.example.com", "pulumi-console", 80))),
				tierWorkloads(kubeAPI(), fixture.R(tConfigMap, "pulumi-config", m{"metadata": m{"namespace": "pulumi", "name": "pulumi-config"},
					"data": m{"PULUMI_API_DOMAIN": "api.pulumi.example.com"}}))...),
			want: labels{
				ep:  vio("the component's endpoint is public to 0.0.0.0/0"),
				sec: vio("no encryptionConfigKeyArn"),
				tls: vio("HTTP forwarded, default TLS 1.0 policy"),
				aLB: unv("the ALB group is from another stack"),
				np:  vio("no NetworkPolicy, and the vpc-cni add-on does not enforce them"),
				app: pass("the managed node group is in private subnets"),
			}},
		{name: "hardened eks deployment", source: "EKS installer (eks-hosted), hardened per the guide and issue 11",
			rs: append(network(eksComponent(hardenedComponent),
				fixture.R(tEKSManaged, "workers", m{"cluster": "pulumi-selfhosted", "subnetIds": l{fixture.ID("private-a"), fixture.ID("private-b")}}),
				vpcCNI(m{"configurationValues": `{"enableNetworkPolicy": "true"}`}),
				kIngress("api-ingress", hardenedALB(), nil),
				kIngress("console-ingress", hardenedALB(), rulesTo("app.pulumi.example.com", "pulumi-console", 80))),
				tierWorkloads(kubeAPI())...),
			cfg:  allow,
			want: every("the hardened EKS deployment meets the guide", nil)},
	}
}
