package main

import (
	"fmt"

	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// eksUnit registers 10 Kubernetes objects in the shapes of the EKS
// installer's service stack (internal/programs.EKS, hardened), in namespace
// svc-<i>: two Secrets (stringData, Pulumi secrets), a ConfigMap of plain
// settings, the API Deployment (a migrations init container, env from the
// Secrets through secretKeyRef and from the ConfigMap through
// configMapKeyRef) and the Console Deployment, a ClusterIP Service for
// each, an ALB Ingress each (internet-facing, HTTPS with ssl-redirect and a
// TLS 1.2+ policy, inbound-cidrs), and a NetworkPolicy around the API and
// Console pods. Hardened, so the whole pack judges everything and finds
// little: what it finds is printed below the table.
func eksUnit(ctx *pulumi.Context, i int) error {
	n := func(s string) string { return fmt.Sprintf("%s-%d", s, i) }
	ns := pulumi.String(n("svc"))
	meta := func(labels pulumi.StringMap) *metav1.ObjectMetaArgs {
		return &metav1.ObjectMetaArgs{Namespace: ns, Labels: labels}
	}
	secret := func(name string, data map[string]string) (*corev1.Secret, error) {
		m := pulumi.StringMap{}
		for k, v := range data {
			m[k] = pulumi.ToSecret(pulumi.String(v)).(pulumi.StringOutput)
		}
		return corev1.NewSecret(ctx, n(name), &corev1.SecretArgs{Metadata: meta(nil), StringData: m})
	}
	license, err := secret("license-key", map[string]string{"key": "bench-license", "smtpPassword": "bench-smtp",
		"recaptchaSecretKey": "bench-recaptcha"})
	if err != nil {
		return err
	}
	db, err := secret("aurora-db-conn", map[string]string{
		"host": "db.example.internal", "endpoint": "db.example.internal:3306", "username": "pulumi", "password": "bench-password",
	})
	if err != nil {
		return err
	}
	settings, err := corev1.NewConfigMap(ctx, n("api-settings"), &corev1.ConfigMapArgs{Metadata: meta(nil),
		Data: pulumi.StringMap{
			"API_MIN_TLS_VERSION":      pulumi.String("1.2"),
			"DATABASE_MIN_TLS_VERSION": pulumi.String("1.2"),
			"PULUMI_DATABASE_NAME":     pulumi.String("pulumi"),
		}})
	if err != nil {
		return err
	}
	fromSecret := func(name string, s *corev1.Secret, key string) corev1.EnvVarInput {
		return corev1.EnvVarArgs{Name: pulumi.String(name), ValueFrom: corev1.EnvVarSourceArgs{
			SecretKeyRef: corev1.SecretKeySelectorArgs{Name: s.Metadata.Name(), Key: pulumi.String(key)}}}
	}
	fromConfigMap := func(name, key string) corev1.EnvVarInput {
		return corev1.EnvVarArgs{Name: pulumi.String(name), ValueFrom: corev1.EnvVarSourceArgs{
			ConfigMapKeyRef: corev1.ConfigMapKeySelectorArgs{Name: settings.Metadata.Name(), Key: pulumi.String(key)}}}
	}
	plain := func(name, value string) corev1.EnvVarInput {
		return corev1.EnvVarArgs{Name: pulumi.String(name), Value: pulumi.String(value)}
	}
	const cert = "-----BEGIN CERTIFICATE-----\nMIIBbenchCertificate\n-----END CERTIFICATE-----\n"
	dbEnv := corev1.EnvVarArray{
		fromSecret("PULUMI_DATABASE_ENDPOINT", db, "endpoint"),
		fromSecret("MYSQL_ROOT_USERNAME", db, "username"),
		fromSecret("MYSQL_ROOT_PASSWORD", db, "password"),
		plain("DATABASE_CA_CERTIFICATE", cert),
		fromConfigMap("DATABASE_MIN_TLS_VERSION", "DATABASE_MIN_TLS_VERSION"),
	}
	apiEnv := append(corev1.EnvVarArray{
		fromSecret("PULUMI_LICENSE_KEY", license, "key"),
		plain("PULUMI_API_DOMAIN", "api.pulumi.example.com"),
		plain("PULUMI_CONSOLE_DOMAIN", "app.pulumi.example.com"),
		fromConfigMap("PULUMI_DATABASE_NAME", "PULUMI_DATABASE_NAME"),
		plain("API_TLS_CERTIFICATE", cert),
		fromSecret("API_TLS_PRIVATE_KEY", license, "key"),
		fromConfigMap("API_MIN_TLS_VERSION", "API_MIN_TLS_VERSION"),
		plain("SMTP_SERVER", "smtp.example.com:587"),
		plain("SMTP_USERNAME", "pulumi-mailer"),
		plain("SMTP_GENERIC_SENDER", "pulumi@example.com"),
		fromSecret("SMTP_PASSWORD", license, "smtpPassword"),
		fromSecret("RECAPTCHA_SECRET_KEY", license, "recaptchaSecretKey"),
	}, dbEnv...)
	deployment := func(name, app, image string, port int, env corev1.EnvVarArray, init corev1.ContainerArray) error {
		labels := pulumi.StringMap{"app": pulumi.String(app)}
		_, err := appsv1.NewDeployment(ctx, n(name), &appsv1.DeploymentArgs{
			Metadata: meta(labels),
			Spec: appsv1.DeploymentSpecArgs{
				Replicas: pulumi.Int(2),
				Selector: &metav1.LabelSelectorArgs{MatchLabels: labels},
				Template: &corev1.PodTemplateSpecArgs{
					Metadata: &metav1.ObjectMetaArgs{Labels: labels},
					Spec: corev1.PodSpecArgs{
						InitContainers: init,
						Containers: corev1.ContainerArray{corev1.ContainerArgs{
							Name: pulumi.String(app), Image: pulumi.String(image), Env: env,
							Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{
								Name: pulumi.String(app), ContainerPort: pulumi.Int(port)}},
						}},
					},
				},
			},
		})
		return err
	}
	if err := deployment("pulumi-api", "service", "pulumi/service:20251120", 8080, apiEnv, corev1.ContainerArray{
		corev1.ContainerArgs{Name: pulumi.String("migration"), Image: pulumi.String("pulumi/migrations:20251120"), Env: dbEnv},
	}); err != nil {
		return err
	}
	if err := deployment("pulumi-console", "console", "pulumi/console:20251120", 3000, corev1.EnvVarArray{
		plain("PULUMI_API", "https://api.pulumi.example.com"),
		plain("RECAPTCHA_SITE_KEY", "bench-site-key"),
		plain("CONSOLE_TLS_CERTIFICATE", cert),
		fromSecret("CONSOLE_TLS_PRIVATE_KEY", license, "key"),
	}, nil); err != nil {
		return err
	}
	edge := func(name, app string, port int, host string) error {
		svc, err := corev1.NewService(ctx, n(name), &corev1.ServiceArgs{Metadata: meta(nil), Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("ClusterIP"),
			Selector: pulumi.StringMap{"app": pulumi.String(app)},
			Ports: corev1.ServicePortArray{corev1.ServicePortArgs{
				Name: pulumi.String(app), Port: pulumi.Int(port), TargetPort: pulumi.String(app)}},
		}})
		if err != nil {
			return err
		}
		_, err = networkingv1.NewIngress(ctx, n(name), &networkingv1.IngressArgs{
			Metadata: &metav1.ObjectMetaArgs{Namespace: ns, Annotations: pulumi.StringMap{
				"kubernetes.io/ingress.class":               pulumi.String("alb"),
				"alb.ingress.kubernetes.io/scheme":          pulumi.String("internet-facing"),
				"alb.ingress.kubernetes.io/target-type":     pulumi.String("ip"),
				"alb.ingress.kubernetes.io/listen-ports":    pulumi.String(`[{"HTTP": 80}, {"HTTPS": 443}]`),
				"alb.ingress.kubernetes.io/certificate-arn": pulumi.String("arn:aws:acm:us-west-2:123456789012:certificate/bench"),
				"alb.ingress.kubernetes.io/ssl-redirect":    pulumi.String("443"),
				"alb.ingress.kubernetes.io/ssl-policy":      pulumi.String("ELBSecurityPolicy-TLS13-1-2-2021-06"),
				"alb.ingress.kubernetes.io/inbound-cidrs":   pulumi.String("203.0.113.0/24"),
			}},
			Spec: &networkingv1.IngressSpecArgs{Rules: networkingv1.IngressRuleArray{networkingv1.IngressRuleArgs{
				Host: pulumi.String(host),
				Http: &networkingv1.HTTPIngressRuleValueArgs{Paths: networkingv1.HTTPIngressPathArray{networkingv1.HTTPIngressPathArgs{
					Path: pulumi.String("/"), PathType: pulumi.String("Prefix"),
					Backend: networkingv1.IngressBackendArgs{Service: &networkingv1.IngressServiceBackendArgs{
						Name: svc.Metadata.Name().Elem(),
						Port: &networkingv1.ServiceBackendPortArgs{Name: pulumi.String(app)},
					}},
				}}},
			}}},
		})
		return err
	}
	if err := edge("pulumi-api", "service", 8080, "api.pulumi.example.com"); err != nil {
		return err
	}
	if err := edge("pulumi-console", "console", 3000, "app.pulumi.example.com"); err != nil {
		return err
	}
	_, err = networkingv1.NewNetworkPolicy(ctx, n("pulumi-api"), &networkingv1.NetworkPolicyArgs{
		Metadata: meta(nil),
		Spec: networkingv1.NetworkPolicySpecArgs{
			PodSelector: metav1.LabelSelectorArgs{MatchExpressions: metav1.LabelSelectorRequirementArray{
				metav1.LabelSelectorRequirementArgs{Key: pulumi.String("app"), Operator: pulumi.String("In"),
					Values: pulumi.ToStringArray([]string{"service", "console"})},
			}},
			PolicyTypes: pulumi.StringArray{pulumi.String("Ingress")},
			Ingress: networkingv1.NetworkPolicyIngressRuleArray{networkingv1.NetworkPolicyIngressRuleArgs{
				From: networkingv1.NetworkPolicyPeerArray{
					networkingv1.NetworkPolicyPeerArgs{IpBlock: networkingv1.IPBlockArgs{Cidr: pulumi.String("10.0.0.0/16")}},
					networkingv1.NetworkPolicyPeerArgs{PodSelector: &metav1.LabelSelectorArgs{
						MatchLabels: pulumi.StringMap{"app": pulumi.String("console")}}},
				},
				Ports: networkingv1.NetworkPolicyPortArray{
					networkingv1.NetworkPolicyPortArgs{Port: pulumi.Int(8080)},
					networkingv1.NetworkPolicyPortArgs{Port: pulumi.Int(3000)},
				},
			}},
		},
	})
	return err
}

func eksProgram(resources int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		for i := 0; i < resources/10; i++ {
			if err := eksUnit(ctx, i); err != nil {
				return err
			}
		}
		return nil
	}
}
