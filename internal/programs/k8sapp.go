package programs

import (
	"fmt"

	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// The Kubernetes service tier the AKS, GKE and byo-infra programs share, in
// the shape of those installers' 03-application stacks: a Namespace, Secrets
// (stringData) for the license key, the database connection, SMTP and
// reCAPTCHA, the API Deployment (pulumi/service, with a pulumi/migrations
// initContainer) and the Console Deployment (pulumi/console), each behind a
// ClusterIP Service, and an ingress-nginx Ingress in front of both.

// Logical names of the service tier's resources that findings are about.
const (
	AppAPIName     = "pulumi-api"
	AppConsoleName = "pulumi-console"
	AppIngressName = "pulumi-service-ingress"
	// AppNamespace is the service's namespace, named as the installers name it.
	AppNamespace = "pulumi-selfhosted-apps"
)

// IngressAllowList is the range the hardened AKS, GKE and byo-infra
// programs admit at their edge, the one their hardened policy config lists.
const IngressAllowList = "198.51.100.0/24"

// AppSecretConfig is the stack config the service tier reads, each value to
// be set as a secret, with values that start with prefix (so a test can tell
// one program's from another's). None may appear in any output.
func AppSecretConfig(prefix string) map[string]string {
	return map[string]string{
		"kubeconfig":         "apiVersion: v1\nkind: Config\nusers:\n- name: " + prefix + "\n  user:\n    token: " + prefix + "-Kub3config-T0ken-not-shown\n",
		"licenseKey":         prefix + "-L1cense-Key-not-shown",
		"dbPassword":         prefix + "-Db-Passw0rd-not-shown",
		"smtpPassword":       prefix + "-Smtp-Passw0rd-not-shown",
		"recaptchaSecretKey": prefix + "-Recaptcha-S3cret-not-shown",
		"recaptchaSiteKey":   prefix + "-recaptcha-site-key",
		"apiTlsKey":          "-----BEGIN PRIVATE KEY-----\n" + prefix + "-Api-TLS-Key-not-shown\n-----END PRIVATE KEY-----\n",
		"consoleTlsKey":      "-----BEGIN PRIVATE KEY-----\n" + prefix + "-Console-TLS-Key-not-shown\n-----END PRIVATE KEY-----\n",
	}
}

// A certificate is public: plain values are fine for it.
const appCertificate = "-----BEGIN CERTIFICATE-----\nMIIBappTLSCertificateForTheDemo\n-----END CERTIFICATE-----\n"

// serviceTier is what differs between the programs' service tiers.
type serviceTier struct {
	hardened bool
	opt      pulumi.ResourceOption // the Kubernetes provider
	// namespace is the Namespace's name (an output of the Namespace).
	namespace pulumi.StringPtrInput
	// dbHost is the database's host name, as the installers' 03-application
	// stacks get it: a known string (the infrastructure stack's output, or
	// config); dbCA the CA certificate the hardened containers verify it with.
	dbHost pulumi.StringInput
	dbCA   string
	// apiEnv are the API's platform variables (object store, credentials).
	apiEnv corev1.EnvVarArray
	// apiVolumes and apiMounts are the API pod's volumes and the service
	// container's mounts.
	apiVolumes corev1.VolumeArray
	apiMounts  corev1.VolumeMountArray
	// ingressAnnotations are the Ingress's annotations before hardening.
	ingressAnnotations map[string]string
	// ingressNamespace is the ingress controller's namespace, whose pods the
	// hardened NetworkPolicies admit.
	ingressNamespace string
}

// appSecret registers a Secret with stringData in the tier's namespace.
func (t serviceTier) secret(ctx *pulumi.Context, name string, data pulumi.StringMap) (*corev1.Secret, error) {
	return corev1.NewSecret(ctx, name, &corev1.SecretArgs{
		Metadata:   &metav1.ObjectMetaArgs{Namespace: t.namespace},
		StringData: data,
	}, t.opt)
}

// fromSecret is an environment variable taken from a Secret's key.
func fromSecret(name string, s *corev1.Secret, key string) corev1.EnvVarInput {
	return corev1.EnvVarArgs{Name: pulumi.String(name), ValueFrom: corev1.EnvVarSourceArgs{
		SecretKeyRef: corev1.SecretKeySelectorArgs{Name: s.Metadata.Name(), Key: pulumi.String(key)},
	}}
}

// plainEnv is an environment variable with a literal value.
func plainEnv(name string, value pulumi.StringInput) corev1.EnvVarInput {
	return corev1.EnvVarArgs{Name: pulumi.String(name), Value: value}
}

// build registers the tier.
func (t serviceTier) build(ctx *pulumi.Context) error {
	const tag = "20251120-1234"
	license, err := t.secret(ctx, "license-key", pulumi.StringMap{"key": config.RequireSecret(ctx, "licenseKey")})
	if err != nil {
		return err
	}
	db, err := t.secret(ctx, "mysql-db-conn", pulumi.StringMap{
		"host":     t.dbHost,
		"username": pulumi.String("pulumiadmin"),
		"password": config.RequireSecret(ctx, "dbPassword"),
	})
	if err != nil {
		return err
	}
	smtp, err := t.secret(ctx, "smtp-conn", pulumi.StringMap{
		"server":      pulumi.String("smtp.example.com:587"),
		"username":    pulumi.String("pulumi-mailer"),
		"password":    config.RequireSecret(ctx, "smtpPassword"),
		"fromaddress": pulumi.String("pulumi@example.com"),
	})
	if err != nil {
		return err
	}
	recaptcha, err := t.secret(ctx, "recaptcha", pulumi.StringMap{
		"siteKey":   config.RequireSecret(ctx, "recaptchaSiteKey"),
		"secretKey": config.RequireSecret(ctx, "recaptchaSecretKey"),
	})
	if err != nil {
		return err
	}
	plain := func(name, value string) corev1.EnvVarInput { return plainEnv(name, pulumi.String(value)) }

	migrationsEnv := corev1.EnvVarArray{
		fromSecret("PULUMI_DATABASE_ENDPOINT", db, "host"),
		fromSecret("MYSQL_ROOT_USERNAME", db, "username"),
		fromSecret("MYSQL_ROOT_PASSWORD", db, "password"),
		fromSecret("PULUMI_DATABASE_PING_ENDPOINT", db, "host"),
		plain("RUN_MIGRATIONS_EXTERNALLY", "true"),
	}
	apiEnv := corev1.EnvVarArray{
		fromSecret("PULUMI_LICENSE_KEY", license, "key"),
		plain("PULUMI_ENTERPRISE", "true"),
		plain("PULUMI_API_DOMAIN", "api.pulumi.example.com"),
		plain("PULUMI_CONSOLE_DOMAIN", "app.pulumi.example.com"),
		fromSecret("PULUMI_DATABASE_ENDPOINT", db, "host"),
		fromSecret("PULUMI_DATABASE_USER_NAME", db, "username"),
		fromSecret("PULUMI_DATABASE_USER_PASSWORD", db, "password"),
		plain("PULUMI_DATABASE_NAME", "pulumi"),
		fromSecret("SMTP_SERVER", smtp, "server"),
		fromSecret("SMTP_USERNAME", smtp, "username"),
		fromSecret("SMTP_PASSWORD", smtp, "password"),
		fromSecret("SMTP_GENERIC_SENDER", smtp, "fromaddress"),
		fromSecret("RECAPTCHA_SECRET_KEY", recaptcha, "secretKey"),
		fromSecret("LOGIN_RECAPTCHA_SECRET_KEY", recaptcha, "secretKey"),
	}
	apiEnv = append(apiEnv, t.apiEnv...)
	consoleEnv := corev1.EnvVarArray{
		plain("PULUMI_CONSOLE_DOMAIN", "app.pulumi.example.com"),
		plain("PULUMI_HOMEPAGE_DOMAIN", "app.pulumi.example.com"),
		plain("SAML_SSO_ENABLED", "false"),
		plain("PULUMI_API", "https://api.pulumi.example.com"),
		fromSecret("RECAPTCHA_SITE_KEY", recaptcha, "siteKey"),
		fromSecret("LOGIN_RECAPTCHA_SITE_KEY", recaptcha, "siteKey"),
	}
	// The installers' Ingress names a certificate Secret that cert-manager
	// writes; the hardened tier names its own.
	apiCertSecret, consoleCertSecret := pulumi.StringPtr("pulumi-selfhosted-tls"), pulumi.StringPtr("pulumi-selfhosted-tls")
	if t.hardened {
		apiTLS, err := t.secret(ctx, "api-tls", pulumi.StringMap{
			"tls.crt": pulumi.String(appCertificate),
			"tls.key": config.RequireSecret(ctx, "apiTlsKey"),
		})
		if err != nil {
			return err
		}
		consoleTLS, err := t.secret(ctx, "console-tls", pulumi.StringMap{
			"tls.crt": pulumi.String(appCertificate),
			"tls.key": config.RequireSecret(ctx, "consoleTlsKey"),
		})
		if err != nil {
			return err
		}
		apiCertSecret, consoleCertSecret = apiTLS.Metadata.Name(), consoleTLS.Metadata.Name()
		dbTLS := corev1.EnvVarArray{
			plain("DATABASE_CA_CERTIFICATE", t.dbCA),
			plain("DATABASE_MIN_TLS_VERSION", "1.2"),
		}
		migrationsEnv = append(migrationsEnv, dbTLS...)
		apiEnv = append(apiEnv, dbTLS...)
		apiEnv = append(apiEnv,
			plain("API_TLS_CERTIFICATE", appCertificate),
			fromSecret("API_TLS_PRIVATE_KEY", apiTLS, "tls.key"),
			plain("API_MIN_TLS_VERSION", "1.2"),
		)
		consoleEnv = append(consoleEnv,
			fromSecret("CONSOLE_TLS_CERTIFICATE", consoleTLS, "tls.crt"),
			fromSecret("CONSOLE_TLS_PRIVATE_KEY", consoleTLS, "tls.key"),
		)
	}

	api, err := deployment(ctx, AppAPIName, t.namespace, "service", corev1.PodSpecArgs{
		InitContainers: corev1.ContainerArray{corev1.ContainerArgs{
			Name:  pulumi.String("pulumi-migration"),
			Image: pulumi.String("pulumi/migrations:" + tag),
			Env:   migrationsEnv,
		}},
		Volumes: t.apiVolumes,
		Containers: corev1.ContainerArray{corev1.ContainerArgs{
			Name:         pulumi.String("pulumi-api"),
			Image:        pulumi.String("pulumi/service:" + tag),
			Ports:        corev1.ContainerPortArray{corev1.ContainerPortArgs{Name: pulumi.String("http"), ContainerPort: pulumi.Int(8080)}},
			Env:          apiEnv,
			VolumeMounts: t.apiMounts,
		}},
	}, t.opt)
	if err != nil {
		return err
	}
	apiService, err := clusterIP(ctx, AppAPIName, t.namespace, "service", "http", 8080, t.opt, pulumi.Parent(api))
	if err != nil {
		return err
	}
	consoleEnv = append(consoleEnv, plainEnv("PULUMI_API_INTERNAL_ENDPOINT",
		pulumi.Sprintf("http://%s:8080", apiService.Metadata.Name().Elem())))
	console, err := deployment(ctx, AppConsoleName, t.namespace, "console", corev1.PodSpecArgs{
		Containers: corev1.ContainerArray{corev1.ContainerArgs{
			Name:  pulumi.String("pulumi-console"),
			Image: pulumi.String("pulumi/console:" + tag),
			Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{Name: pulumi.String("http"), ContainerPort: pulumi.Int(3000)}},
			Env:   consoleEnv,
		}},
	}, t.opt)
	if err != nil {
		return err
	}
	consoleService, err := clusterIP(ctx, AppConsoleName, t.namespace, "console", "http", 3000, t.opt, pulumi.Parent(console))
	if err != nil {
		return err
	}

	ann := pulumi.StringMap{}
	for k, v := range t.ingressAnnotations {
		ann[k] = pulumi.String(v)
	}
	if t.hardened {
		ann["nginx.ingress.kubernetes.io/ssl-redirect"] = pulumi.String("true")
		ann["nginx.ingress.kubernetes.io/whitelist-source-range"] = pulumi.String(IngressAllowList)
	}
	rule := func(host string, svc *corev1.Service) networkingv1.IngressRuleInput {
		return networkingv1.IngressRuleArgs{
			Host: pulumi.String(host),
			Http: &networkingv1.HTTPIngressRuleValueArgs{Paths: networkingv1.HTTPIngressPathArray{networkingv1.HTTPIngressPathArgs{
				Path: pulumi.String("/"), PathType: pulumi.String("Prefix"),
				Backend: networkingv1.IngressBackendArgs{Service: &networkingv1.IngressServiceBackendArgs{
					Name: svc.Metadata.Name().Elem(),
					Port: &networkingv1.ServiceBackendPortArgs{Name: pulumi.String("http")},
				}},
			}}},
		}
	}
	if _, err := networkingv1.NewIngress(ctx, AppIngressName, &networkingv1.IngressArgs{
		Metadata: &metav1.ObjectMetaArgs{Namespace: t.namespace, Name: pulumi.String(AppIngressName), Annotations: ann},
		Spec: &networkingv1.IngressSpecArgs{
			IngressClassName: pulumi.String("nginx"),
			Tls: networkingv1.IngressTLSArray{
				networkingv1.IngressTLSArgs{Hosts: pulumi.ToStringArray([]string{"app.pulumi.example.com"}), SecretName: consoleCertSecret},
				networkingv1.IngressTLSArgs{Hosts: pulumi.ToStringArray([]string{"api.pulumi.example.com"}), SecretName: apiCertSecret},
			},
			Rules: networkingv1.IngressRuleArray{
				rule("api.pulumi.example.com", apiService),
				rule("app.pulumi.example.com", consoleService),
			},
		},
	}, t.opt, pulumi.DependsOn([]pulumi.Resource{apiService, consoleService})); err != nil {
		return err
	}
	if !t.hardened {
		return nil
	}
	// The ingress controller's pods reach both; the Console reaches the API.
	controller := networkingv1.NetworkPolicyPeerArgs{NamespaceSelector: &metav1.LabelSelectorArgs{
		MatchLabels: pulumi.StringMap{"kubernetes.io/metadata.name": pulumi.String(t.ingressNamespace)},
	}}
	consolePods := networkingv1.NetworkPolicyPeerArgs{PodSelector: &metav1.LabelSelectorArgs{
		MatchLabels: pulumi.StringMap{"app": pulumi.String("console")},
	}}
	if err := ingressOnly(ctx, AppAPIName, t.namespace, "service", 8080, t.opt, controller, consolePods); err != nil {
		return err
	}
	return ingressOnly(ctx, AppConsoleName, t.namespace, "console", 3000, t.opt, controller)
}

// appNamespace registers the service's Namespace, named as the installers
// name it, and returns its name.
func appNamespace(ctx *pulumi.Context, opt pulumi.ResourceOption) (pulumi.StringPtrInput, error) {
	ns, err := corev1.NewNamespace(ctx, AppNamespace, &corev1.NamespaceArgs{
		Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String(AppNamespace)},
	}, opt)
	if err != nil {
		return nil, fmt.Errorf("namespace: %w", err)
	}
	return ns.Metadata.Name(), nil
}
