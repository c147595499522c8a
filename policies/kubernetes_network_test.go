package policies

import (
	"testing"

	"github.com/selfhosted-hardening/selfhosted-hardening/graph"
	"github.com/selfhosted-hardening/selfhosted-hardening/internal/fixture"
	"github.com/selfhosted-hardening/selfhosted-hardening/policy"
)

// Table tests of issue 11 (EKS, part 2): the Ingress and LoadBalancer
// Service edge (load-balancer-ingress-allowlist, load-balancer-tls),
// network-policies-between-tiers, eks-endpoint-restricted,
// eks-secrets-encrypted and node groups given as @pulumi/eks components
// (app-in-private-subnets). Builders are in labelled_eks_test.go.

const (
	annInbound  = `metadata.annotations["alb.ingress.kubernetes.io/inbound-cidrs"]`
	annListen   = `metadata.annotations["alb.ingress.kubernetes.io/listen-ports"]`
	annSSLPol   = `metadata.annotations["alb.ingress.kubernetes.io/ssl-policy"]`
	annSGs      = `metadata.annotations["alb.ingress.kubernetes.io/security-groups"]`
	annNginxWL  = `metadata.annotations["nginx.ingress.kubernetes.io/whitelist-source-range"]`
	annNginxRed = `metadata.annotations["nginx.ingress.kubernetes.io/ssl-redirect"]`
	annSvcPol   = `metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy"]`
	// planted secrets: never in a message
	plantedCIDR   = "192.0.2.77/32"
	plantedPolicy = "ELBSecurityPolicy-zz-secret-policy"
)

var allowlistProps = m{"ingressAllowList": l{allowCIDR}}

func alb(extra m) *fixture.Res  { return kIngress("ing", with(hardenedALB(), extra), nil) }
func inst(extra m) *fixture.Res { return kIngress("ing", with(installerALB(), extra), nil) }

func TestKubernetesEdgeAllowlist(t *testing.T) {
	nginx := func(ann m, spec m) []*fixture.Res {
		return []*fixture.Res{kIngress("ing", ann, with(nginxTLS(), spec))}
	}
	group := func(rules ...any) *fixture.Res {
		return fixture.R(tSG, "alb-sg", m{"name": "pulumi-alb", "ingress": l(rules)})
	}
	runCases(t, LoadBalancerIngressAllowlist, []caseT{
		// must not fire
		{name: "alb inside the allowlist", cfg: allowlistProps, target: "ing", rs: []*fixture.Res{alb(nil)}},
		{name: "alb private and allowlisted ranges", cfg: allowlistProps, target: "ing",
			rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/inbound-cidrs": " 10.0.0.0/8 ,203.0.113.128/25,"})}},
		{name: "alb internal", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/scheme": "internal",
			"alb.ingress.kubernetes.io/inbound-cidrs": nil})}},
		{name: "alb default scheme is internal", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/scheme": nil,
			"alb.ingress.kubernetes.io/inbound-cidrs": nil})}},
		{name: "alb everyone accepted by config", cfg: m{"ingressAllowList": l{"0.0.0.0/0", "::/0"}}, target: "ing",
			rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/inbound-cidrs": nil})}},
		{name: "alb in-stack group allowlisted", cfg: allowlistProps, target: "ing",
			rs: []*fixture.Res{group(tcpIn(443, allowCIDR), tcpIn(80, allowCIDR)), inst(m{"alb.ingress.kubernetes.io/security-groups": "pulumi-alb"})}},
		{name: "alb in-stack group from private ranges only", target: "ing",
			rs: []*fixture.Res{group(tcpIn(443, "10.0.0.0/16")), inst(m{"alb.ingress.kubernetes.io/security-groups": "pulumi-alb"})}},
		{name: "alb in-stack group by id output", cfg: allowlistProps, target: "ing",
			rs: []*fixture.Res{group(tcpIn(443, allowCIDR)), inst(m{"alb.ingress.kubernetes.io/security-groups": fixture.ID("alb-sg")})},
			// The id is not known in preview: no verdict, not "no security groups".
			preview: []fixture.Want{advisory(annSGs + " is not known until update")}},
		{name: "nginx inside", cfg: allowlistProps, target: "ing",
			rs: nginx(m{"nginx.ingress.kubernetes.io/whitelist-source-range": allowCIDR}, nil)},
		{name: "nginx allowlist-source-range spelling", cfg: allowlistProps, target: "ing",
			rs: nginx(m{"nginx.ingress.kubernetes.io/allowlist-source-range": allowCIDR}, nil)},
		{name: "service internal scheme", target: "svc",
			rs: []*fixture.Res{kService("svc", nlbAnnotations(m{"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"}), nil)}},
		{name: "service in-tree internal", target: "svc",
			rs: []*fixture.Res{kService("svc", m{"service.beta.kubernetes.io/aws-load-balancer-internal": "true"}, nil)}},
		{name: "service lbc external defaults to internal", target: "svc",
			rs: []*fixture.Res{kService("svc", m{"service.beta.kubernetes.io/aws-load-balancer-type": "external"}, nil)}},
		{name: "service source ranges inside", cfg: allowlistProps, target: "svc",
			rs: []*fixture.Res{kService("svc", nil, m{"loadBalancerSourceRanges": l{allowCIDR}})}},
		{name: "service source ranges annotation", cfg: allowlistProps, target: "svc",
			rs: []*fixture.Res{kService("svc", m{"service.beta.kubernetes.io/load-balancer-source-ranges": allowCIDR}, nil)}},
		{name: "service clusterip", target: "svc", rs: []*fixture.Res{kService("svc", nil, m{"type": "ClusterIP"})}},
		{name: "service nodeport", target: "svc", rs: []*fixture.Res{kService("svc", nil, m{"type": "NodePort"})}},
		{name: "ingress of another controller", target: "ing",
			rs: []*fixture.Res{kIngress("ing", m{"traefik.ingress.kubernetes.io/router.tls": "true"}, m{"ingressClassName": "traefik"})}},
		{name: "ingress without annotations or class", target: "ing", rs: []*fixture.Res{kIngress("ing", nil, nil)}},
		{name: "unknown annotation values of other keys", target: "ing", cfg: allowlistProps,
			rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/healthcheck-path": fixture.Unknown, "alb.ingress.kubernetes.io/tags": fixture.Unknown})}},

		// must fire
		{name: "installer's ingress with the group removed", target: "ing",
			rs: []*fixture.Res{inst(m{"alb.ingress.kubernetes.io/security-groups": nil})},
			both: []fixture.Want{violation(`the internet-facing load balancer of kubernetes:networking.k8s.io/v1:Ingress "ing" (AWS Load ` +
				`Balancer Controller) admits 0.0.0.0/0: it sets no alb.ingress.kubernetes.io/inbound-cidrs and no security groups`)}},
		{name: "alb outside the allowlist", cfg: allowlistProps, target: "ing",
			rs:   []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/inbound-cidrs": allowCIDR + ",192.0.2.0/24"})},
			both: []fixture.Want{violation("admits 192.0.2.0/24 (" + annInbound + "), which is outside the ingress allowlist [203.0.113.0/24]")}},
		{name: "alb without an allowlist", target: "ing", rs: []*fixture.Res{alb(nil)},
			both: []fixture.Want{violation("admits 203.0.113.0/24 ("+annInbound+") and no ingress allowlist is configured",
				`Fix: Set this policy's ingressAllowList`)}},
		{name: "alb open in-stack group", target: "alb-sg",
			rs: []*fixture.Res{group(tcpIn(443, "0.0.0.0/0")), inst(m{"alb.ingress.kubernetes.io/security-groups": "pulumi-alb"})},
			both: []fixture.Want{violation(`of security group "alb-sg"`, `in front of the internet-facing load balancer of `+
				`kubernetes:networking.k8s.io/v1:Ingress "ing"`, "admits 0.0.0.0/0")}},
		{name: "alb in-stack group opens ssh to the allowlist", cfg: allowlistProps, target: "alb-sg",
			rs: []*fixture.Res{group(tcpIn(22, allowCIDR)), inst(m{"alb.ingress.kubernetes.io/security-groups": "pulumi-alb"})},
			both: []fixture.Want{violation("opens tcp 22 to the allowlisted range(s) " + allowCIDR + ", on a port the " +
				"load balancer does not need; a load balancer needs only 443")}},
		{name: "nginx none", cfg: allowlistProps, target: "ing", rs: nginx(m{"nginx.ingress.kubernetes.io/proxy-body-size": "8m"}, nil),
			both: []fixture.Want{violation("(ingress-nginx) admits everyone the ingress-nginx controller's load balancer admits: it sets " +
				"no nginx.ingress.kubernetes.io/whitelist-source-range")}},
		{name: "nginx outside", cfg: allowlistProps, target: "ing",
			rs:   nginx(m{"nginx.ingress.kubernetes.io/whitelist-source-range": "0.0.0.0/0"}, nil),
			both: []fixture.Want{violation("admits 0.0.0.0/0 (" + annNginxWL + ")")}},
		{name: "nginx by legacy class annotation", cfg: allowlistProps, target: "ing",
			rs:   []*fixture.Res{kIngress("ing", m{"kubernetes.io/ingress.class": "nginx"}, nil)},
			both: []fixture.Want{violation("no nginx.ingress.kubernetes.io/whitelist-source-range")}},
		{name: "service in-tree default", cfg: allowlistProps, target: "svc", rs: []*fixture.Res{kService("svc", nil, nil)},
			both: []fixture.Want{violation(`(Service of type LoadBalancer) admits 0.0.0.0/0: it sets no spec.loadBalancerSourceRanges`)}},
		{name: "service nlb internet-facing", cfg: allowlistProps, target: "svc", rs: []*fixture.Res{kService("svc", nlbAnnotations(nil), nil)},
			both: []fixture.Want{violation("admits 0.0.0.0/0: it sets no spec.loadBalancerSourceRanges")}},
		{name: "service source ranges outside", cfg: allowlistProps, target: "svc",
			rs:   []*fixture.Res{kService("svc", nil, m{"loadBalancerSourceRanges": l{allowCIDR, "0.0.0.0/0"}})},
			both: []fixture.Want{violation("admits 0.0.0.0/0 (spec.loadBalancerSourceRanges[1])")}},
		{name: "service open in-stack group", target: "alb-sg",
			rs: []*fixture.Res{group(tcpIn(443, "0.0.0.0/0")),
				kService("svc", nlbAnnotations(m{"service.beta.kubernetes.io/aws-load-balancer-security-groups": "pulumi-alb"}), nil)},
			both: []fixture.Want{violation(`in front of the internet-facing load balancer of kubernetes:core/v1:Service "svc"`)}},
		{name: "secret range not shown", cfg: allowlistProps, target: "ing",
			rs:   []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/inbound-cidrs": fixture.Secret(plantedCIDR)})},
			both: []fixture.Want{violation("admits [secret] (" + annInbound + ")")}},

		// cannot tell
		{name: "installer's outside group", target: "ing", rs: []*fixture.Res{inst(nil)},
			both: []fixture.Want{advisory("cannot be verified: security group " + extSG + " (" + annSGs + ") is not in the stack")}},
		{name: "annotations unknown", cfg: allowlistProps, target: "ing", rs: []*fixture.Res{kIngress("ing", fixture.Unknown, nil)},
			preview: []fixture.Want{advisory("cannot be verified during preview: metadata.annotations is not known until update")},
			update:  []fixture.Want{advisory("cannot be verified: metadata.annotations is not known until update")}},
		{name: "annotations a list", target: "ing", rs: []*fixture.Res{kIngress("ing", l{"alb.ingress.kubernetes.io/scheme=internet-facing"}, nil)},
			both: []fixture.Want{advisory("metadata.annotations is array, expected an object of strings")}},
		{name: "annotations a string", target: "svc", rs: []*fixture.Res{kService("svc", "internal", nil)},
			both: []fixture.Want{advisory("metadata.annotations is string, expected an object of strings")}},
		{name: "inbound-cidrs unknown", cfg: allowlistProps, target: "ing",
			rs:   []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/inbound-cidrs": fixture.Unknown})},
			both: []fixture.Want{advisory(annInbound + " is not known until update")}},
		{name: "inbound-cidrs a number", cfg: allowlistProps, target: "ing",
			rs:   []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/inbound-cidrs": 10})},
			both: []fixture.Want{advisory(annInbound + " is a number, expected a string")}},
		{name: "inbound-cidrs not a cidr", cfg: allowlistProps, target: "ing",
			rs:   []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/inbound-cidrs": "office"})},
			both: []fixture.Want{advisory(annInbound + `: "office" is not a valid CIDR block`)}},
		{name: "scheme unknown", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/scheme": fixture.Unknown})},
			both: []fixture.Want{advisory(`metadata.annotations["alb.ingress.kubernetes.io/scheme"] is not known until update`)}},
		{name: "scheme misspelt", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/scheme": "public"})},
			both: []fixture.Want{advisory(`metadata.annotations["alb.ingress.kubernetes.io/scheme"] is "public", expected internal or internet-facing`)}},
		{name: "service type unknown", target: "svc", rs: []*fixture.Res{kService("svc", nil, m{"type": fixture.Unknown})},
			both: []fixture.Want{advisory("spec.type is not known until update")}},
		{name: "service source ranges a string", cfg: allowlistProps, target: "svc",
			rs:   []*fixture.Res{kService("svc", nil, m{"loadBalancerSourceRanges": allowCIDR})},
			both: []fixture.Want{advisory("spec.loadBalancerSourceRanges is a string, expected an array")}},
		{name: "service scheme unknown", target: "svc",
			rs:   []*fixture.Res{kService("svc", nlbAnnotations(m{"service.beta.kubernetes.io/aws-load-balancer-scheme": fixture.Unknown}), nil)},
			both: []fixture.Want{advisory(`metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"] is not known until update`)}},
		{name: "listen-ports malformed is not this policy's", cfg: allowlistProps, target: "ing",
			rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/listen-ports": "HTTPS:443"})}},
	})
}

func TestKubernetesEdgeTLS(t *testing.T) {
	nginx := func(ann m, spec m) []*fixture.Res { return []*fixture.Res{kIngress("ing", ann, spec)} }
	runCases(t, LoadBalancerTLS, []caseT{
		// must not fire
		{name: "hardened alb", target: "ing", rs: []*fixture.Res{alb(nil)}},
		{name: "alb https only by default", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/listen-ports": nil,
			"alb.ingress.kubernetes.io/ssl-redirect": nil})}},
		{name: "alb https only listed", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/listen-ports": `[{"HTTPS": "443"}]`,
			"alb.ingress.kubernetes.io/ssl-redirect": nil})}},
		{name: "alb internal still hardened", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/scheme": "internal"})}},
		{name: "alb tls 1.3 policy", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-3-2021-06"})}},
		{name: "nginx with tls", target: "ing", rs: nginx(nil, nginxTLS())},
		{name: "nginx force-ssl-redirect", target: "ing", rs: nginx(m{"nginx.ingress.kubernetes.io/ssl-redirect": "false",
			"nginx.ingress.kubernetes.io/force-ssl-redirect": "true"}, nginxTLS())},
		{name: "nginx ssl-redirect true", target: "ing", rs: nginx(m{"nginx.ingress.kubernetes.io/ssl-redirect": "true"}, nginxTLS())},
		{name: "service without a certificate", target: "svc", rs: []*fixture.Res{kService("svc", nlbAnnotations(nil), nil)}},
		{name: "service with a tls 1.2 policy", target: "svc", rs: []*fixture.Res{kService("svc", nlbAnnotations(m{
			"service.beta.kubernetes.io/aws-load-balancer-ssl-cert":               acmCert,
			"service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": tls12}), nil)}},
		{name: "service clusterip", target: "svc", rs: []*fixture.Res{kService("svc", m{"service.beta.kubernetes.io/aws-load-balancer-ssl-cert": acmCert},
			m{"type": "ClusterIP"})}},
		{name: "ingress of another controller", target: "ing", rs: []*fixture.Res{kIngress("ing", nil, m{"ingressClassName": "traefik"})}},
		{name: "ssl-redirect unknown", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/ssl-redirect": fixture.Unknown})},
			both: []fixture.Want{advisory(`metadata.annotations["alb.ingress.kubernetes.io/ssl-redirect"] is not known until update`)}},

		// must fire
		{name: "installer's ingress", target: "ing", rs: []*fixture.Res{inst(nil)},
			both: []fixture.Want{
				violation(annSSLPol+" is not set, so the AWS Load Balancer Controller gives the TLS listener ELBSecurityPolicy-2016-08, "+
					"which allows TLS 1.0 and 1.1", "Fix: Set "+annSSLPol+" to ELBSecurityPolicy-TLS13-1-2"),
				violation("the load balancer listens on HTTP 80 ("+annListen+") without alb.ingress.kubernetes.io/ssl-redirect: "+
					"plain HTTP is forwarded to the service", `Fix: Add alb.ingress.kubernetes.io/ssl-redirect: "443"`),
			}},
		{name: "alb plain http only", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/certificate-arn": nil,
			"alb.ingress.kubernetes.io/listen-ports": nil, "alb.ingress.kubernetes.io/ssl-redirect": nil})},
			both: []fixture.Want{violation("the load balancer has no HTTPS listener (" + annListen + "): it serves plain HTTP only")}},
		{name: "alb http on two ports", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/ssl-redirect": nil,
			"alb.ingress.kubernetes.io/listen-ports": `[{"HTTP": 80}, {"HTTP": 8080}, {"HTTPS": 443}]`})},
			both: []fixture.Want{violation("listens on HTTP 80, 8080")}},
		{name: "alb tls 1.0 policy", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS-1-0-2015-04"})},
			both: []fixture.Want{violation(annSSLPol + ` "ELBSecurityPolicy-TLS-1-0-2015-04" allows TLS 1.0, older than TLS 1.2`)}},
		{name: "alb secret policy not shown", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/ssl-policy": fixture.Secret(plantedPolicy)})},
			both: []fixture.Want{violation(annSSLPol + ` "[secret]" is not a predefined ELB security policy`)}},
		{name: "nginx without tls", target: "ing", rs: nginx(nil, m{"ingressClassName": "nginx"}),
			both: []fixture.Want{violation("spec.tls is empty: ingress-nginx serves this Ingress over plain HTTP only")}},
		{name: "nginx empty tls", target: "ing", rs: nginx(nil, m{"ingressClassName": "nginx", "tls": l{}}),
			both: []fixture.Want{violation("spec.tls is empty")}},
		{name: "nginx ssl-redirect false", target: "ing", rs: nginx(m{"nginx.ingress.kubernetes.io/ssl-redirect": "False"}, nginxTLS()),
			both: []fixture.Want{violation(annNginxRed+` is "false": ingress-nginx serves plain HTTP beside HTTPS`, "Fix: Remove "+annNginxRed)}},
		{name: "service certificate without a policy", target: "svc", rs: []*fixture.Res{kService("svc", nlbAnnotations(m{
			"service.beta.kubernetes.io/aws-load-balancer-ssl-cert": acmCert}), nil)},
			both: []fixture.Want{violation(annSvcPol + " is not set, so the Service of type LoadBalancer gives the TLS listener ELBSecurityPolicy-2016-08")}},
		{name: "service tls 1.1 policy", target: "svc", rs: []*fixture.Res{kService("svc", m{
			"service.beta.kubernetes.io/aws-load-balancer-ssl-cert":               acmCert,
			"service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS-1-1-2017-01"}, nil)},
			both: []fixture.Want{violation("allows TLS 1.1")}},

		// cannot tell
		{name: "listen-ports not json", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/listen-ports": `[{"HTTPS": 443}`})},
			both: []fixture.Want{advisory("cannot be verified: " + annListen + ` is not a JSON list of {"HTTP": 80} or {"HTTPS": 443} objects`)}},
		{name: "listen-ports an object", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/listen-ports": `{"HTTPS": 443}`})},
			both: []fixture.Want{advisory(annListen + " is not a JSON list")}},
		{name: "listen-ports a number", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/listen-ports": 443})},
			both: []fixture.Want{advisory(annListen + " is a number, expected a string")}},
		{name: "listen-ports bad port", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/listen-ports": `[{"HTTPS": "https"}]`})},
			both: []fixture.Want{advisory(annListen + ` item 0: port "https" of "HTTPS" is not a port number`)}},
		{name: "listen-ports unknown", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/listen-ports": fixture.Unknown})},
			both: []fixture.Want{advisory(annListen + " is not known until update")}},
		{name: "listen-ports secret and malformed", target: "ing",
			rs:   []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/listen-ports": fixture.Secret(`[{"HTTPS": "zz-secret-port"}]`)})},
			both: []fixture.Want{advisory(annListen + " item 0: a port is not a port number")}},
		{name: "ssl-policy unknown", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/ssl-policy": fixture.Unknown})},
			both: []fixture.Want{advisory(annSSLPol + " is not known until update")}},
		{name: "ssl-policy a list", target: "ing", rs: []*fixture.Res{alb(m{"alb.ingress.kubernetes.io/ssl-policy": l{tls12}})},
			both: []fixture.Want{advisory(annSSLPol + " is an array, expected a string")}},
		{name: "annotations unknown", target: "ing", rs: []*fixture.Res{kIngress("ing", fixture.Unknown, nil)},
			both: []fixture.Want{advisory("metadata.annotations is not known until update")}},
		{name: "annotations a list", target: "ing", rs: []*fixture.Res{kIngress("ing", l{"a"}, nil)},
			both: []fixture.Want{advisory("metadata.annotations is array, expected an object of strings")}},
		{name: "nginx tls unknown", target: "ing", rs: nginx(nil, m{"ingressClassName": "nginx", "tls": fixture.Unknown}),
			both: []fixture.Want{advisory("spec.tls is not known until update")}},
		{name: "service certificate unknown", target: "svc", rs: []*fixture.Res{kService("svc", nlbAnnotations(m{
			"service.beta.kubernetes.io/aws-load-balancer-ssl-cert": fixture.Unknown}), nil)},
			// A certificate from an output is set, whatever its value: the
			// listener's policy is judged.
			both: []fixture.Want{violation(annSvcPol + " is not set")}},
	})
}

func TestNetworkPoliciesBetweenTiers(t *testing.T) {
	nps := func(policies ...*fixture.Res) []*fixture.Res { return tierWorkloads(kubeAPI(), policies...) }
	spec := func(sel m, rules ...any) *fixture.Res {
		return kNetworkPolicy("np", withIngress(sel, l{"Ingress"}, l(rules)))
	}
	from := func(peers ...any) m { return m{"from": l(peers)} }
	unknownLabels := func() []*fixture.Res {
		rs := nps()
		rs[0].Inputs["spec"].(map[string]any)["template"].(map[string]any)["metadata"] = m{"labels": fixture.Unknown}
		return rs
	}
	consoleToo := func(contains ...string) map[string][]fixture.Want {
		return map[string][]fixture.Want{"pulumi-console": {advisoryViolation(contains...)}}
	}
	runCases(t, NetworkPoliciesBetweenTiers, []caseT{
		// must not fire
		{name: "hardened", target: "pulumi-api", rs: nps()},
		{name: "pod selector peer only", target: "pulumi-api",
			rs: nps(spec(partOfService, from(m{"podSelector": m{"matchLabels": m{"app.kubernetes.io/name": "ingress-nginx"}}})))},
		{name: "namespace selector peer only", target: "pulumi-api",
			rs: nps(spec(partOfService, from(m{"namespaceSelector": m{"matchLabels": m{"kubernetes.io/metadata.name": "kube-system"}}})))},
		{name: "private ipBlock", target: "pulumi-api", rs: nps(spec(partOfService, from(m{"ipBlock": m{"cidr": "10.0.0.0/8"}})))},
		{name: "private ipBlock with except", target: "pulumi-api",
			rs: nps(spec(partOfService, from(m{"ipBlock": m{"cidr": "172.16.0.0/12", "except": l{"172.16.1.0/24"}}})))},
		{name: "select all pods", target: "pulumi-api", rs: nps(spec(m{}, from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}})))},
		{name: "default deny", target: "pulumi-api", rs: nps(kNetworkPolicy("deny", m{"podSelector": m{}, "policyTypes": l{"Ingress"}}))},
		{name: "policyTypes unset", target: "pulumi-api", rs: nps(kNetworkPolicy("np", withIngress(partOfService, nil,
			l{from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}})})))},
		{name: "matchExpressions In", target: "pulumi-api", rs: nps(spec(m{"matchExpressions": l{m{"key": "app.kubernetes.io/name",
			"operator": "In", "values": l{"pulumi-api", "pulumi-console"}}}}, from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}})))},
		{name: "matchExpressions Exists", target: "pulumi-api", rs: nps(spec(m{"matchExpressions": l{m{"key": "app.kubernetes.io/part-of",
			"operator": "Exists"}}}, from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}})))},
		{name: "matchExpressions NotIn others", target: "pulumi-api", rs: nps(spec(m{"matchExpressions": l{m{"key": "app.kubernetes.io/name",
			"operator": "NotIn", "values": l{"worker"}}}}, from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}})))},
		{name: "two policies, one per tier", target: "pulumi-api", rs: nps(
			kNetworkPolicy("api", withIngress(m{"matchLabels": m{"app.kubernetes.io/name": "pulumi-api"}}, l{"Ingress"}, l{from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}})})),
			kNetworkPolicy("console", withIngress(m{"matchLabels": m{"app.kubernetes.io/name": "pulumi-console"}}, l{"Ingress", "Egress"}, l{from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}})})))},
		{name: "default namespace on both", target: "api", rs: []*fixture.Res{
			labelPods(fixture.R(tDeployment, "api", m{"spec": m{"template": m{"spec": m{"containers": l{kubeAPI()}}}}}), apiPodLabels),
			fixture.R(tNetPol, "np", m{"spec": withIngress(partOfService, l{"Ingress"}, l{from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}})})})}},
		{name: "no api or console workloads", target: "worker", rs: []*fixture.Res{deployment("worker", kcontainer("worker", "acme/worker:1", nil))}},
		{name: "vpc-cni enabled", target: "vpc-cni", rs: append(nps(), vpcCNI(m{"configurationValues": `{"enableNetworkPolicy": "true"}`}))},
		{name: "vpc-cni enabled as a boolean", target: "vpc-cni", rs: append(nps(), vpcCNI(m{"configurationValues": `{"enableNetworkPolicy": true}`}))},
		{name: "other addon", target: "coredns", rs: append(nps(), fixture.R(tAddon, "coredns", m{"addonName": "coredns"}))},

		// must fire
		{name: "no networkpolicy", target: "pulumi-api", rs: nps(fixture.R(tConfigMap, "cm", m{"metadata": m{"namespace": "pulumi"}, "data": m{}})),
			both: []fixture.Want{advisoryViolation(`kubernetes:apps/v1:Deployment "pulumi-api": no NetworkPolicy of namespace "pulumi" selects `+
				`the pods of this workload (it runs spec.template.spec.containers[0] ("api"), labels app.kubernetes.io/name=pulumi-api, `+
				`app.kubernetes.io/part-of=pulumi-service): any pod in the cluster can reach them`, "Fix: Add a NetworkPolicy")},
			elsewhere: consoleToo(`no NetworkPolicy of namespace "pulumi" selects`, `("console")`)},
		{name: "no labels at all", target: "pulumi-api", rs: []*fixture.Res{apiDeployment(kubeAPI(), kubeMigrations())},
			both: []fixture.Want{advisoryViolation("labels none")}},
		{name: "empty peer", target: "pulumi-api", rs: nps(spec(partOfService, from(m{}))),
			both:      []fixture.Want{advisoryViolation(`no NetworkPolicy of namespace "pulumi" restricts traffic`, `NetworkPolicy "np" admits everyone: spec.ingress[0].from[0] is an empty peer`)},
			elsewhere: consoleToo("is an empty peer")},
		{name: "rule without from", target: "pulumi-api", rs: nps(spec(partOfService, m{"ports": l{m{"port": 8080}}})),
			both:      []fixture.Want{advisoryViolation(`NetworkPolicy "np" admits everyone: spec.ingress[0] has no from`)},
			elsewhere: consoleToo("has no from")},
		{name: "empty from", target: "pulumi-api", rs: nps(spec(partOfService, m{"from": l{}})),
			both:      []fixture.Want{advisoryViolation("has no from")},
			elsewhere: consoleToo("has no from")},
		{name: "world ipBlock", target: "pulumi-api", rs: nps(spec(partOfService, from(m{"podSelector": m{}}, m{"ipBlock": m{"cidr": "0.0.0.0/0"}}))),
			both:      []fixture.Want{advisoryViolation("admits 0.0.0.0/0 (spec.ingress[0].from[1].ipBlock.cidr), which is not a private range")},
			elsewhere: consoleToo("0.0.0.0/0")},
		{name: "public ipBlock", target: "pulumi-api", rs: nps(spec(partOfService, from(m{"ipBlock": m{"cidr": allowCIDR}}))),
			both:      []fixture.Want{advisoryViolation("admits 203.0.113.0/24")},
			elsewhere: consoleToo("203.0.113.0/24")},
		{name: "egress only", target: "pulumi-api", rs: nps(kNetworkPolicy("np", m{"podSelector": partOfService, "policyTypes": l{"Egress"}})),
			both:      []fixture.Want{advisoryViolation(`NetworkPolicy "np" has no Ingress in policyTypes, so it does not restrict ingress`)},
			elsewhere: consoleToo("has no Ingress in policyTypes")},
		{name: "another namespace", target: "pulumi-api", rs: nps(fixture.R(tNetPol, "np", m{"metadata": m{"namespace": "ingress-nginx"},
			"spec": withIngress(partOfService, l{"Ingress"}, l{from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}})})})),
			both:      []fixture.Want{advisoryViolation(`no NetworkPolicy of namespace "pulumi" selects`)},
			elsewhere: consoleToo(`no NetworkPolicy of namespace "pulumi" selects`)},
		{name: "selector misses the console", target: "pulumi-console", rs: nps(spec(m{"matchExpressions": l{m{"key": "app.kubernetes.io/name",
			"operator": "NotIn", "values": l{"pulumi-console"}}}}, from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}}))),
			both: []fixture.Want{advisoryViolation(`"pulumi-console": no NetworkPolicy of namespace "pulumi" selects`)}},
		{name: "selector by other labels", target: "pulumi-api", rs: nps(spec(m{"matchLabels": m{"app": "pulumi"}},
			from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}}))),
			both:      []fixture.Want{advisoryViolation("selects the pods")},
			elsewhere: consoleToo("selects the pods")},
		{name: "unknown operator selects nothing", target: "pulumi-api", rs: nps(spec(m{"matchExpressions": l{m{"key": "app.kubernetes.io/name",
			"operator": "Matches", "values": l{"pulumi-.*"}}}}, from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}}))),
			both:      []fixture.Want{advisoryViolation("selects the pods")},
			elsewhere: consoleToo("selects the pods")},
		{name: "allow-all beside a restrictive one", target: "pulumi-api", rs: nps(tierNetworkPolicy(),
			kNetworkPolicy("allow-all", withIngress(partOfService, l{"Ingress"}, l{from(m{})}))),
			// NetworkPolicies add up: the allow-all one lets everyone in.
			both:      []fixture.Want{advisoryViolation(`NetworkPolicy "allow-all" admits everyone`)},
			elsewhere: consoleToo(`NetworkPolicy "allow-all" admits everyone`)},
		{name: "vpc-cni without configuration", target: "vpc-cni", rs: append(nps(), vpcCNI(nil)),
			both: []fixture.Want{advisoryViolation("configurationValues is not set, so the VPC CNI leaves enableNetworkPolicy off",
				`Fix: Set configurationValues to {"enableNetworkPolicy": "true"}.`)}},
		{name: "vpc-cni with it off", target: "vpc-cni", rs: append(nps(), vpcCNI(m{"configurationValues": `{"enableNetworkPolicy": "false"}`})),
			both: []fixture.Want{advisoryViolation("configurationValues does not turn enableNetworkPolicy on")}},
		{name: "vpc-cni configured otherwise", target: "vpc-cni", rs: append(nps(), vpcCNI(m{"configurationValues": `{"env": {"WARM_IP_TARGET": "5"}}`})),
			both: []fixture.Want{advisoryViolation("does not turn enableNetworkPolicy on")}},
		{name: "secret label not shown", target: "w", rs: []*fixture.Res{labelPods(deployment("w", kubeAPI()), m{"app.kubernetes.io/name": fixture.Secret("zz-secret-label")})},
			both: []fixture.Want{advisoryViolation("labels app.kubernetes.io/name=[secret]")}},

		// cannot tell
		{name: "pod labels unknown", target: "pulumi-api", rs: unknownLabels(),
			// The console's labels are known, and the NetworkPolicy selects them.
			both: []fixture.Want{advisory("spec.template.metadata.labels is not known until update")}},
		{name: "podSelector unknown", target: "np", rs: nps(kNetworkPolicy("np", m{"podSelector": fixture.Unknown, "policyTypes": l{"Ingress"}})),
			// Which pods it selects is not known: no verdict on the workloads.
			both: []fixture.Want{advisory("spec.podSelector.matchLabels is not known until update")}},
		{name: "policyTypes a string", target: "np", rs: nps(kNetworkPolicy("np", with(withIngress(partOfService, nil,
			l{from(m{"ipBlock": m{"cidr": "10.0.0.0/16"}})}), m{"policyTypes": "Ingress"}))),
			both: []fixture.Want{advisory("spec.policyTypes is a string, expected an array")}},
		{name: "ipBlock cidr malformed", target: "np", rs: nps(spec(partOfService, from(m{"ipBlock": m{"cidr": "office"}}))),
			both: []fixture.Want{advisory(`spec.ingress[0].from[0].ipBlock.cidr "office" is not a valid CIDR block`)}},
		{name: "matchLabels a list", target: "np", rs: nps(kNetworkPolicy("np", m{"podSelector": m{"matchLabels": l{"a"}}})),
			both: []fixture.Want{advisory("spec.podSelector.matchLabels is array, expected an object of strings")}},
		{name: "configurationValues not json", target: "vpc-cni", rs: append(nps(), vpcCNI(m{"configurationValues": "enableNetworkPolicy=true"})),
			both: []fixture.Want{advisory("configurationValues is not a JSON object")}},
		{name: "configurationValues unknown", target: "vpc-cni", rs: append(nps(), vpcCNI(m{"configurationValues": fixture.Unknown})),
			both: []fixture.Want{advisory("configurationValues is not known until update")}},
		{name: "addonName unknown", target: "vpc-cni", rs: append(nps(), vpcCNI(m{"addonName": fixture.Unknown})),
			both: []fixture.Want{advisory("addonName is not known until update")}},
	})
}

func TestEKSEndpointRestricted(t *testing.T) {
	admins := m{"ingressAllowList": l{adminCIDR}}
	aws := func(vpc m) []*fixture.Res { return []*fixture.Res{eksCluster(vpc, nil)} }
	comp := func(in m) []*fixture.Res { return []*fixture.Res{eksComponent(in)} }
	runCases(t, EKSEndpointRestricted, []caseT{
		// must not fire
		{name: "private endpoint", target: "cluster", rs: aws(privateEndpoint)},
		{name: "private endpoint with stale cidrs", target: "cluster", rs: aws(with(privateEndpoint, m{"publicAccessCidrs": l{"0.0.0.0/0"}}))},
		{name: "public endpoint allowlisted", cfg: admins, target: "cluster",
			rs: aws(m{"endpointPublicAccess": true, "publicAccessCidrs": l{adminCIDR}})},
		{name: "public endpoint narrower than the allowlist", cfg: admins, target: "cluster",
			rs: aws(m{"endpointPublicAccess": true, "publicAccessCidrs": l{"198.51.100.16/28"}})},
		{name: "component private", target: "eks", rs: comp(hardenedComponent)},
		{name: "component public allowlisted", cfg: admins, target: "eks",
			rs: comp(m{"endpointPublicAccess": true, "publicAccessCidrs": l{adminCIDR}})},
		{name: "other eks resources", target: "ng", rs: []*fixture.Res{fixture.R(typeEKSNodeGroup, "ng", m{"clusterName": "c"})}},

		// must fire
		{name: "unset", target: "cluster", rs: aws(nil),
			both: []fixture.Want{violation(`aws:eks/cluster:Cluster "cluster": the cluster's API endpoint is public (vpcConfig.endpointPublicAccess `+
				`is not set (EKS's default: true)) and vpcConfig.publicAccessCidrs is not set, so EKS opens it to 0.0.0.0/0`, "Fix:")}},
		{name: "vpcConfig absent", target: "cluster", rs: []*fixture.Res{eksCluster(nil, m{"vpcConfig": nil})},
			both: []fixture.Want{violation("vpcConfig.endpointPublicAccess is not set")}},
		{name: "public without cidrs", target: "cluster", rs: aws(m{"endpointPublicAccess": true}),
			both: []fixture.Want{violation("(vpcConfig.endpointPublicAccess is true)")}},
		{name: "public with empty cidrs", target: "cluster", rs: aws(m{"endpointPublicAccess": true, "publicAccessCidrs": l{}}),
			both: []fixture.Want{violation("vpcConfig.publicAccessCidrs is not set")}},
		{name: "world cidrs without an allowlist", target: "cluster", rs: aws(m{"endpointPublicAccess": true, "publicAccessCidrs": l{"0.0.0.0/0"}}),
			both: []fixture.Want{violation("the cluster's public API endpoint admits 0.0.0.0/0 (vpcConfig.publicAccessCidrs[0]) and no ingress allowlist is configured")}},
		{name: "cidrs outside the allowlist", cfg: admins, target: "cluster",
			rs:   aws(m{"endpointPublicAccess": true, "publicAccessCidrs": l{adminCIDR, "192.0.2.0/24"}}),
			both: []fixture.Want{violation("admits 192.0.2.0/24 (vpcConfig.publicAccessCidrs[1]), which is outside the ingress allowlist [198.51.100.0/24]")}},
		{name: "component as the installer makes it", target: "eks", rs: comp(nil),
			both: []fixture.Want{violation(`eks:index:Cluster "eks": the cluster's API endpoint is public (endpointPublicAccess is not set ` +
				`(EKS's default: true)) and publicAccessCidrs is not set`)}},
		{name: "component public and private", target: "eks", rs: comp(m{"endpointPublicAccess": true, "endpointPrivateAccess": true}),
			both: []fixture.Want{violation("(endpointPublicAccess is true)")}},
		{name: "secret cidr not shown", cfg: admins, target: "cluster",
			rs:   aws(m{"endpointPublicAccess": true, "publicAccessCidrs": l{fixture.Secret(plantedCIDR)}}),
			both: []fixture.Want{violation("admits [secret] (vpcConfig.publicAccessCidrs[0])")}},

		// cannot tell
		{name: "public access unknown", target: "cluster", rs: aws(m{"endpointPublicAccess": fixture.Unknown}),
			both: []fixture.Want{advisory("vpcConfig.endpointPublicAccess is not known until update")}},
		{name: "cidrs unknown", cfg: admins, target: "cluster", rs: aws(m{"endpointPublicAccess": true, "publicAccessCidrs": fixture.Unknown}),
			both: []fixture.Want{advisory("vpcConfig.publicAccessCidrs is not known until update")}},
		{name: "cidrs a string", cfg: admins, target: "cluster", rs: aws(m{"endpointPublicAccess": true, "publicAccessCidrs": adminCIDR}),
			both: []fixture.Want{advisory("vpcConfig.publicAccessCidrs is a string, expected an array")}},
		{name: "component cidrs a string", cfg: admins, target: "eks", rs: comp(m{"publicAccessCidrs": adminCIDR}),
			both: []fixture.Want{advisory("publicAccessCidrs is a string, expected an array")}},
		{name: "public access a string", target: "cluster", rs: aws(m{"endpointPublicAccess": "false"}),
			both: []fixture.Want{advisory("vpcConfig.endpointPublicAccess is a string, expected a boolean")}},
		{name: "cidr malformed", cfg: admins, target: "cluster", rs: aws(m{"endpointPublicAccess": true, "publicAccessCidrs": l{"admins"}}),
			both: []fixture.Want{advisory(`vpcConfig.publicAccessCidrs[0] "admins" is not a valid CIDR block`)}},
	})
}

func TestEKSSecretsEncrypted(t *testing.T) {
	aws := func(extra m) []*fixture.Res { return []*fixture.Res{eksCluster(privateEndpoint, extra)} }
	runCases(t, EKSSecretsEncrypted, []caseT{
		// must not fire
		{name: "encrypted", target: "cluster", rs: aws(nil)},
		{name: "list form", target: "cluster", rs: aws(m{"encryptionConfig": l{m{"provider": m{"keyArn": eksKMSKeyArn}, "resources": l{"secrets"}}}})},
		{name: "key from the stack", target: "cluster", rs: []*fixture.Res{fixture.R("aws:kms/key:Key", "key", m{"enableKeyRotation": true}).Output("arn", eksKMSKeyArn),
			eksCluster(privateEndpoint, m{"encryptionConfig": m{"provider": m{"keyArn": fixture.OutputOf("key", "arn")}, "resources": l{"secrets"}}})},
			preview: []fixture.Want{advisory("encryptionConfig.provider.keyArn is not known until update")}},
		{name: "secret key arn", target: "cluster", rs: aws(m{"encryptionConfig": m{"provider": m{"keyArn": fixture.Secret(eksKMSKeyArn)}, "resources": l{"secrets"}}})},
		{name: "component encrypted", target: "eks", rs: []*fixture.Res{eksComponent(hardenedComponent)}},
		{name: "component key unknown", target: "eks", rs: []*fixture.Res{eksComponent(m{"encryptionConfigKeyArn": fixture.Unknown})},
			both: []fixture.Want{advisory("encryptionConfigKeyArn is not known until update")}},

		// must fire
		{name: "absent", target: "cluster", rs: aws(m{"encryptionConfig": nil}),
			both: []fixture.Want{violation(`aws:eks/cluster:Cluster "cluster": encryptionConfig is not set, so Kubernetes Secrets are stored `+
				`in etcd without KMS envelope encryption`, "#encryption")}},
		{name: "empty list", target: "cluster", rs: aws(m{"encryptionConfig": l{}}),
			both: []fixture.Want{violation("encryptionConfig is not set")}},
		{name: "resources without secrets", target: "cluster", rs: aws(m{"encryptionConfig": m{"provider": m{"keyArn": eksKMSKeyArn}, "resources": l{}}}),
			both: []fixture.Want{violation(`encryptionConfig.resources does not include "secrets"`)}},
		{name: "list item without secrets", target: "cluster", rs: aws(m{"encryptionConfig": l{m{"provider": m{"keyArn": eksKMSKeyArn}}}}),
			both: []fixture.Want{violation(`encryptionConfig[0].resources does not include "secrets"`)}},
		{name: "no key", target: "cluster", rs: aws(m{"encryptionConfig": m{"resources": l{"secrets"}}}),
			both: []fixture.Want{violation("encryptionConfig.provider.keyArn is not set")}},
		{name: "component without a key", target: "eks", rs: []*fixture.Res{eksComponent(nil)},
			both: []fixture.Want{violation(`eks:index:Cluster "eks": encryptionConfigKeyArn is not set, so Kubernetes Secrets are stored in etcd`)}},

		// cannot tell
		{name: "resources unknown", target: "cluster", rs: aws(m{"encryptionConfig": m{"provider": m{"keyArn": eksKMSKeyArn}, "resources": fixture.Unknown}}),
			both: []fixture.Want{advisory("encryptionConfig.resources is not known until update")}},
		{name: "resources a string", target: "cluster", rs: aws(m{"encryptionConfig": m{"provider": m{"keyArn": eksKMSKeyArn}, "resources": "secrets"}}),
			both: []fixture.Want{advisory("encryptionConfig.resources is a string, expected an array")}},
		{name: "component key a number", target: "eks", rs: []*fixture.Res{eksComponent(m{"encryptionConfigKeyArn": 7})},
			both: []fixture.Want{advisory("encryptionConfigKeyArn is a number, expected a string")}},
	})
}

func TestEKSNodeGroupComponents(t *testing.T) {
	runCases(t, AppInPrivateSubnets, []caseT{
		{name: "managed node group private", target: "ng", rs: network(fixture.R(tEKSManaged, "ng", m{"subnetIds": l{fixture.ID("private-a"), fixture.ID("private-b")}}))},
		{name: "node group v2 private", target: "ng", rs: network(fixture.R(tEKSNodeV2, "ng", m{"nodeSubnetIds": l{fixture.ID("private-a")},
			"nodeAssociatePublicIpAddress": false}))},
		{name: "node group private", target: "ng", rs: network(fixture.R(typeEKSComponentNodeGroup, "ng", m{"nodeSubnetIds": l{fixture.ID("private-b")}}))},
		{name: "managed node group subnets from config", target: "ng", cfg: m{"privateSubnetIds": l{"subnet-0priv1"}},
			rs: []*fixture.Res{fixture.R(tEKSManaged, "ng", m{"subnetIds": l{"subnet-0priv1"}})}},

		{name: "managed node group public", target: "ng", rs: network(fixture.R(tEKSManaged, "ng", m{"subnetIds": l{fixture.ID("private-a"), fixture.ID("public-b")}})),
			both: []fixture.Want{violation(`eks:index:ManagedNodeGroup "ng": subnet "public-b" (subnetIds`, "is public")}},
		{name: "node group v2 public subnets", target: "ng", rs: network(fixture.R(tEKSNodeV2, "ng", m{"nodeSubnetIds": l{fixture.ID("public-a")}})),
			both: []fixture.Want{violation(`subnet "public-a" (nodeSubnetIds[0]) is public`)}},
		{name: "node group v2 public addresses", target: "ng", rs: network(fixture.R(tEKSNodeV2, "ng", m{"nodeSubnetIds": l{fixture.ID("private-a")},
			"nodeAssociatePublicIpAddress": true})),
			both: []fixture.Want{violation("nodeAssociatePublicIpAddress is true: it gets a public address")}},
		{name: "node group public by config", target: "ng", cfg: m{"publicSubnetIds": l{"subnet-0pub1"}},
			rs:   []*fixture.Res{fixture.R(typeEKSComponentNodeGroup, "ng", m{"nodeSubnetIds": l{"subnet-0pub1"}})},
			both: []fixture.Want{violation("subnet subnet-0pub1 (nodeSubnetIds[0]) is public: policy config publicSubnetIds lists it")}},

		{name: "managed node group outside subnets", target: "ng", rs: []*fixture.Res{fixture.R(tEKSManaged, "ng", m{"subnetIds": l{"subnet-0ext"}})},
			both: []fixture.Want{advisory("subnet subnet-0ext (subnetIds[0]) is not in the stack")}},
		{name: "public addresses unknown", target: "ng", rs: network(fixture.R(tEKSNodeV2, "ng", m{"nodeSubnetIds": l{fixture.ID("private-a")},
			"nodeAssociatePublicIpAddress": fixture.Unknown})),
			both: []fixture.Want{advisory("nodeAssociatePublicIpAddress is not known until update")}},
		{name: "public addresses a string", target: "ng", rs: network(fixture.R(tEKSNodeV2, "ng", m{"nodeSubnetIds": l{fixture.ID("private-a")},
			"nodeAssociatePublicIpAddress": "true"})),
			both: []fixture.Want{advisory("nodeAssociatePublicIpAddress is a string, expected a boolean")}},
	})
}

// A @pulumi/eks component and its aws children: fixture.R cannot set a
// resource's parent, so these cases build the graph and set Parent here.

type parentedCase struct {
	name    string
	cfg     map[string]any
	rs      []*fixture.Res
	parents map[string]string // child name -> parent name
	target  string
	both    []fixture.Want
	// elsewhere as in caseT.
	elsewhere map[string][]fixture.Want
}

// runParented runs one policy as fixture.Run does, with parents set.
func runParented(t *testing.T, p *policy.Policy, mode fixture.Mode, c parentedCase) []policy.Finding {
	t.Helper()
	pack, err := policy.NewPack("fixture", "Fixture", "0.0.0", "fixture", Guide, p)
	if err != nil {
		t.Fatalf("pack: %v", err)
	}
	cfg, err := pack.Configure(map[string]policy.RawConfig{p.Name: {Properties: c.cfg}})
	if err != nil {
		t.Fatalf("configure: %v", err)
	}
	env := &policy.Env{DryRun: mode == fixture.Preview}
	resources := fixture.Build(t, mode, c.rs...)
	byName := map[string]*graph.Resource{}
	for _, r := range resources {
		byName[r.Name] = r
	}
	for child, parent := range c.parents {
		if byName[child] == nil || byName[parent] == nil {
			t.Fatalf("parents: no resource %q or %q", child, parent)
		}
		byName[child].Parent = byName[parent].URN
	}
	var out []policy.Finding
	for _, r := range resources {
		out = append(out, pack.Analyze(env, cfg, r)...)
	}
	out = append(out, pack.AnalyzeStack(env, cfg, graph.New(resources))...)
	fixture.NoSecrets(t, pack, out, env, resources...)
	return out
}

func runParentedCases(t *testing.T, p *policy.Policy, cases []parentedCase) {
	t.Helper()
	for _, c := range cases {
		for _, mode := range fixture.Modes {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				fs := runParented(t, p, mode, c)
				fixture.Check(t, fixture.Only(fs, c.target), c.both...)
				checkElsewhere(t, fs, c.target, c.elsewhere)
			})
		}
	}
}

func TestEKSComponentChildren(t *testing.T) {
	child := func(vpc m, extra m) *fixture.Res {
		r := eksCluster(vpc, extra)
		r.Name = "eks-eksCluster"
		return r
	}
	sg := func() *fixture.Res { return fixture.R(tSG, "eks-nodeSecurityGroup", m{"vpcId": "vpc-0abc"}) }
	runParentedCases(t, EKSEndpointRestricted, []parentedCase{
		{name: "component and its cluster: one finding", target: "eks",
			rs:      []*fixture.Res{eksComponent(nil), child(nil, nil)},
			parents: map[string]string{"eks-eksCluster": "eks"},
			both:    []fixture.Want{violation(`eks:index:Cluster "eks"`, "endpointPublicAccess is not set")}},
		{name: "grandchild under the component", target: "eks",
			rs:      []*fixture.Res{eksComponent(nil), fixture.R("pulumi:providers:kubernetes", "eks-provider", m{}), child(nil, nil)},
			parents: map[string]string{"eks-provider": "eks", "eks-eksCluster": "eks-provider"},
			both:    []fixture.Want{violation("endpointPublicAccess is not set")}},
		{name: "hardened component, child as sent", target: "eks",
			rs:      []*fixture.Res{eksComponent(hardenedComponent), child(privateEndpoint, nil)},
			parents: map[string]string{"eks-eksCluster": "eks"}},
		{name: "child of another component is judged", target: "eks-eksCluster",
			rs:      []*fixture.Res{fixture.R("acme:index:Platform", "platform", m{}), child(nil, nil)},
			parents: map[string]string{"eks-eksCluster": "platform"},
			both:    []fixture.Want{violation("vpcConfig.endpointPublicAccess is not set")}},
		{name: "parent outside the stack", target: "eks-eksCluster",
			rs:      []*fixture.Res{child(nil, nil), sg()},
			parents: map[string]string{},
			both:    []fixture.Want{violation("vpcConfig.endpointPublicAccess is not set")}},
	})
	runParentedCases(t, EKSSecretsEncrypted, []parentedCase{
		{name: "component and its cluster: one finding", target: "eks",
			rs:      []*fixture.Res{eksComponent(nil), child(nil, m{"encryptionConfig": nil})},
			parents: map[string]string{"eks-eksCluster": "eks"},
			both:    []fixture.Want{violation(`eks:index:Cluster "eks": encryptionConfigKeyArn is not set`)}},
		{name: "child of another component is judged", target: "eks-eksCluster",
			rs:      []*fixture.Res{fixture.R("acme:index:Platform", "platform", m{}), child(nil, m{"encryptionConfig": nil})},
			parents: map[string]string{"eks-eksCluster": "platform"},
			both:    []fixture.Want{violation("encryptionConfig is not set")}},
	})
	runParentedCases(t, AppInPrivateSubnets, []parentedCase{
		{name: "managed node group and its node group: one finding", target: "workers",
			rs: network(fixture.R(tEKSManaged, "workers", m{"subnetIds": l{fixture.ID("public-a")}}),
				fixture.R(typeEKSNodeGroup, "workers-nodeGroup", m{"clusterName": "c", "subnetIds": l{fixture.ID("public-a")}})),
			parents: map[string]string{"workers-nodeGroup": "workers"},
			both:    []fixture.Want{violation(`eks:index:ManagedNodeGroup "workers": subnet "public-a" (subnetIds[0]) is public`)}},
		{name: "node group v2 children not judged", target: "workers",
			rs: network(fixture.R(tEKSNodeV2, "workers", m{"nodeSubnetIds": l{fixture.ID("private-a")}, "nodeAssociatePublicIpAddress": true}),
				fixture.R(typeLaunchTemplate, "workers-launchTemplate", m{"networkInterfaces": l{m{"associatePublicIpAddress": true}}}),
				fixture.R(typeAutoscalingGroup, "workers-asg", m{"vpcZoneIdentifiers": l{fixture.ID("public-a")}})),
			parents: map[string]string{"workers-launchTemplate": "workers", "workers-asg": "workers"},
			both:    []fixture.Want{violation("nodeAssociatePublicIpAddress is true")}},
		{name: "a node group of no component is judged", target: "workers-nodeGroup",
			rs: network(fixture.R(tEKSManaged, "workers", m{"subnetIds": l{fixture.ID("private-a")}}),
				fixture.R(typeEKSNodeGroup, "workers-nodeGroup", m{"clusterName": "c", "subnetIds": l{fixture.ID("public-a")}})),
			parents: map[string]string{},
			both:    []fixture.Want{violation(`subnet "public-a" (subnetIds[0]) is public`)}},
	})
}
