package policies_test

import (
	"fmt"
	"sort"
	"testing"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/selfhosted-hardening/selfhosted-hardening/hardeningtest"
)

// Programs with the EKS installer's edge and cluster, under pulumi.WithMocks:
// @pulumi/eks components registered by token (it has no Go SDK), an
// ALB-controller Ingress and a LoadBalancer Service written with the
// pulumi-kubernetes Go SDK. Every case compares the full set of findings of
// the policies it is about, in preview and update.

type eksComponent struct{ pulumi.ResourceState }

func registerEKS(ctx *pulumi.Context, typ, name string, inputs pulumi.Map) error {
	var c eksComponent
	return ctx.RegisterRemoteComponentResource(typ, name, inputs, &c)
}

func albIngress(ctx *pulumi.Context, name string, annotations map[string]string) error {
	ann := pulumi.StringMap{"kubernetes.io/ingress.class": pulumi.String("alb")}
	for k, v := range annotations {
		ann[k] = pulumi.String(v)
	}
	_, err := networkingv1.NewIngress(ctx, name, &networkingv1.IngressArgs{
		Metadata: &metav1.ObjectMetaArgs{Namespace: pulumi.String("pulumi"), Annotations: ann},
		Spec:     &networkingv1.IngressSpecArgs{},
	})
	return err
}

const (
	annScheme = "alb.ingress.kubernetes.io/scheme"
	annPorts  = "alb.ingress.kubernetes.io/listen-ports"
	annCert   = "alb.ingress.kubernetes.io/certificate-arn"
	annSGs    = "alb.ingress.kubernetes.io/security-groups"
	annCIDRs  = "alb.ingress.kubernetes.io/inbound-cidrs"
	annRedir  = "alb.ingress.kubernetes.io/ssl-redirect"
	annPolicy = "alb.ingress.kubernetes.io/ssl-policy"
)

// eksEdgePolicies are the policies these cases are about.
var eksEdgePolicies = map[string]bool{"eks-endpoint-restricted": true, "eks-secrets-encrypted": true,
	"load-balancer-tls": true, "load-balancer-ingress-allowlist": true, "app-in-private-subnets": true}

func eksFindings(res *hardeningtest.Result) []string {
	var out []string
	for _, f := range res.Findings {
		if eksEdgePolicies[f.Policy] {
			out = append(out, fmt.Sprintf("%s %s %s", f.Level, f.Policy, f.ResourceName()))
		}
	}
	sort.Strings(out)
	return out
}

func TestEKSPrograms(t *testing.T) {
	installerIngress := map[string]string{annScheme: "internet-facing", annPorts: `[{"HTTP": 80}, {"HTTPS": 443}]`,
		annCert: "arn:aws:acm:us-west-2:123456789012:certificate/1", annSGs: "sg-0fromanotherstack"}
	hardenedIngress := map[string]string{annScheme: "internet-facing", annPorts: `[{"HTTP": 80}, {"HTTPS": 443}]`,
		annCert: "arn:aws:acm:us-west-2:123456789012:certificate/1", annCIDRs: "203.0.113.0/24", annRedir: "443",
		annPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"}
	allow := map[string]any{
		"load-balancer-ingress-allowlist": map[string]any{"ingressAllowList": []any{"203.0.113.0/24"}},
		"eks-endpoint-restricted":         map[string]any{"ingressAllowList": []any{"198.51.100.0/24"}},
		"app-in-private-subnets":          map[string]any{"privateSubnetIds": []any{"subnet-priv1"}, "publicSubnetIds": []any{"subnet-pub1"}},
	}
	cases := []struct {
		name    string
		program pulumi.RunFunc
		cfg     map[string]any
		want    []string
	}{
		{"installer cluster component", func(ctx *pulumi.Context) error {
			return registerEKS(ctx, "eks:index:Cluster", "cluster", pulumi.Map{"skipDefaultNodeGroup": pulumi.Bool(true)})
		}, nil, []string{"mandatory eks-endpoint-restricted cluster", "mandatory eks-secrets-encrypted cluster"}},
		{"hardened cluster component", func(ctx *pulumi.Context) error {
			return registerEKS(ctx, "eks:index:Cluster", "cluster", pulumi.Map{
				"endpointPublicAccess": pulumi.Bool(false), "endpointPrivateAccess": pulumi.Bool(true),
				"encryptionConfigKeyArn": pulumi.String("arn:aws:kms:us-west-2:123456789012:key/1")})
		}, nil, nil},
		{"public endpoint inside the allowlist", func(ctx *pulumi.Context) error {
			return registerEKS(ctx, "eks:index:Cluster", "cluster", pulumi.Map{
				"publicAccessCidrs":      pulumi.StringArray{pulumi.String("198.51.100.0/25")},
				"encryptionConfigKeyArn": pulumi.String("arn:aws:kms:us-west-2:123456789012:key/1")})
		}, allow, nil},
		{"managed node group in a public subnet", func(ctx *pulumi.Context) error {
			return registerEKS(ctx, "eks:index:ManagedNodeGroup", "nodes", pulumi.Map{
				"subnetIds": pulumi.StringArray{pulumi.String("subnet-pub1")}})
		}, allow, []string{"mandatory app-in-private-subnets nodes"}},
		{"managed node group in a private subnet", func(ctx *pulumi.Context) error {
			return registerEKS(ctx, "eks:index:ManagedNodeGroup", "nodes", pulumi.Map{
				"subnetIds": pulumi.StringArray{pulumi.String("subnet-priv1")}})
		}, allow, nil},
		{"installer ingress", func(ctx *pulumi.Context) error { return albIngress(ctx, "pulumi-api", installerIngress) },
			nil, []string{"advisory load-balancer-ingress-allowlist pulumi-api", "mandatory load-balancer-tls pulumi-api",
				"mandatory load-balancer-tls pulumi-api"}},
		{"hardened ingress", func(ctx *pulumi.Context) error { return albIngress(ctx, "pulumi-api", hardenedIngress) },
			allow, nil},
		{"internal ingress", func(ctx *pulumi.Context) error {
			return albIngress(ctx, "pulumi-api", map[string]string{annCert: "arn:aws:acm:x", annPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"})
		}, nil, nil},
		{"load balancer service open to everyone", func(ctx *pulumi.Context) error {
			_, err := corev1.NewService(ctx, "edge", &corev1.ServiceArgs{Spec: &corev1.ServiceSpecArgs{
				Type:  pulumi.String("LoadBalancer"),
				Ports: corev1.ServicePortArray{corev1.ServicePortArgs{Port: pulumi.Int(443)}}}})
			return err
		}, allow, []string{"mandatory load-balancer-ingress-allowlist edge"}},
		{"load balancer service allowlisted", func(ctx *pulumi.Context) error {
			_, err := corev1.NewService(ctx, "edge", &corev1.ServiceArgs{Spec: &corev1.ServiceSpecArgs{
				Type:                     pulumi.String("LoadBalancer"),
				LoadBalancerSourceRanges: pulumi.StringArray{pulumi.String("203.0.113.0/24")},
				Ports:                    corev1.ServicePortArray{corev1.ServicePortArgs{Port: pulumi.Int(443)}}}})
			return err
		}, allow, nil},
	}
	for _, c := range cases {
		for _, mode := range []hardeningtest.Mode{hardeningtest.Preview, hardeningtest.Update} {
			t.Run(c.name+"/"+mode.String(), func(t *testing.T) {
				res, err := hardeningtest.Run(c.program, hardeningtest.Options{Mode: mode, PolicyConfig: c.cfg})
				if err != nil {
					t.Fatal(err)
				}
				got := eksFindings(res)
				want := append([]string(nil), c.want...)
				sort.Strings(want)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					var all []string
					for _, f := range res.Findings {
						all = append(all, f.String())
					}
					t.Errorf("got %q\nwant %q\nall findings:\n%s", got, want, all)
				}
			})
		}
	}
}
