package programs

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	appsv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/apps/v1"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	networkingv1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/networking/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Logical names of the EKS program's resources that findings are about.
const (
	EKSAPIName       = "pulumi-api"
	EKSConsoleName   = "pulumi-console"
	EKSConfigMapName = "pulumi-api-settings"

	// The edge and the cluster (issue 11).
	EKSClusterName          = "pulumi-selfhosted"      // eks:index:Cluster component
	EKSNodeGroupName        = "pulumi-standard-nodes"  // eks:index:ManagedNodeGroup component
	EKSAPIIngressName       = "pulumi-api-ingress"     // ALB Ingress in front of the API
	EKSConsoleIngressName   = "pulumi-console-ingress" // ALB Ingress in front of the Console
	EKSVPCCNIName           = "vpc-cni"                // aws:eks/addon:Addon
	EKSOutsideSecurityGroup = "sg-0a1b2c3d4e5f60718"   // the installer's LB group, from another stack
)

// EKSPrivateSubnetIDs are the node groups' subnets, ids from another stack
// (the installer's 05-eks-cluster takes them from config).
var EKSPrivateSubnetIDs = []string{"subnet-0aa1private000001", "subnet-0bb2private000002"}

// EKSIngressAllowList is the range the hardened Ingresses admit, the one the
// hardened stack's policy config lists.
const EKSIngressAllowList = "203.0.113.0/24"

// EKSHardenedPolicyConfig is the --policy-pack-config the hardened EKS
// program needs: the subnets outside the stack that are private, and the
// ingress allowlist.
func EKSHardenedPolicyConfig() map[string]any {
	return map[string]any{
		"app-in-private-subnets":          map[string]any{"privateSubnetIds": EKSPrivateSubnetIDs},
		"load-balancer-ingress-allowlist": map[string]any{"ingressAllowList": []string{EKSIngressAllowList}},
	}
}

// eksComponent is a component registered by the token of a @pulumi/eks
// component, with its inputs (RegisterComponentResourceV2: the plain
// RegisterComponentResource sends none, so the pack would see none).
type eksComponent struct{ pulumi.ResourceState }

// EKSSecretConfig is the stack config the EKS program reads, each value to
// be set as a secret (pulumi config set --secret). None of these values may
// appear in any output.
var EKSSecretConfig = map[string]string{
	"kubeconfig":         "apiVersion: v1\nkind: Config\nusers:\n- name: eks\n  user:\n    token: eks-Kub3config-T0ken-not-shown\n",
	"licenseKey":         "eks-L1cense-Key-not-shown",
	"dbPassword":         "eks-Db-Passw0rd-not-shown",
	"smtpPassword":       "eks-Smtp-Passw0rd-not-shown",
	"recaptchaSecretKey": "eks-Recaptcha-S3cret-not-shown",
	"recaptchaSiteKey":   "eks-recaptcha-site-key",
	"apiTlsKey":          "-----BEGIN PRIVATE KEY-----\neks-Api-TLS-Key-not-shown\n-----END PRIVATE KEY-----\n",
	"consoleTlsKey":      "-----BEGIN PRIVATE KEY-----\neks-Console-TLS-Key-not-shown\n-----END PRIVATE KEY-----\n",
}

// EKSPlainSecrets are the secrets the violating EKS program writes in plain
// text (a ConfigMap value, a literal environment value). They are not Pulumi
// secrets, but the pack must not repeat them either.
var EKSPlainSecrets = []string{eksConfigMapSMTPPassword, eksLiteralOAuthSecret, eksConfigMapDBPassword}

const (
	eksConfigMapSMTPPassword = "eks-ConfigMap-Smtp-Passw0rd"
	eksConfigMapDBPassword   = "eks-ConfigMap-Db-Passw0rd"
	eksLiteralOAuthSecret    = "eks-Literal-GitHub-OAuth-S3cret"

	// A certificate is public: plain values are fine for it.
	eksCertificate = "-----BEGIN CERTIFICATE-----\nMIIBeksTLSCertificateForTheDemo\n-----END CERTIFICATE-----\n"
	eksDatabaseCA  = "-----BEGIN CERTIFICATE-----\nMIIBeksRDSCertificateAuthority\n-----END CERTIFICATE-----\n"
)

// EKS returns a program in the shape of the EKS installer's service stack
// (pulumi/pulumi-self-hosted-installers, eks-hosted/90-pulumi-service): an
// explicit Kubernetes provider from a kubeconfig, a Namespace, Secrets
// (stringData) for the license key, the database connection, SMTP and
// reCAPTCHA, the API's ServiceAccount, the API Deployment (pulumi/service,
// with a pulumi/migrations initContainer) and the Console Deployment
// (pulumi/console), each behind a ClusterIP Service. Like the installer, it
// takes every secret into the containers through secretKeyRef and sets none
// of the guide's TLS variables.
//
// Not hardened, it adds three plain-text secrets the pack must find: a
// ConfigMap with an SMTP_PASSWORD key, the API's DATABASE_PASSWORD read from
// a ConfigMap (configMapKeyRef), and GITHUB_OAUTH_SECRET as a literal value.
//
// Hardened, it has none of those and sets the guide's variables: API TLS
// (certificate as a plain PEM, private key through secretKeyRef, minimum
// version 1.2), database TLS on the API and migrations containers (CA
// certificate, minimum version 1.2), and Console TLS (certificate and
// private key through secretKeyRef). SMTP's server, user name and sender are
// plain values there; its password still comes from the Secret. And, unlike
// the installer, NetworkPolicies admit to the API pods only the VPC's range
// (the load balancer) and the Console pods, to the Console pods only the
// VPC's range.
//
// Beside them it has the installer's cluster and edge (issue 11): an
// eks:index:Cluster component and an eks:index:ManagedNodeGroup component
// registered by token with their inputs (the node group's subnetIds are ids
// from another stack), the vpc-cni add-on (aws:eks/addon:Addon), and an ALB
// Ingress each for the API and the Console. Not hardened, as the installer
// has them: the cluster with endpointPublicAccess, endpointPrivateAccess and
// publicAccessCidrs unset and no encryptionConfigKeyArn; the Ingresses
// internet-facing on HTTP 80 and HTTPS 443 with a certificate and a security
// group from another stack, no ssl-redirect, no ssl-policy; the add-on
// without configurationValues. Hardened: a private endpoint and a KMS key for
// Secrets, the Ingresses redirecting HTTP to HTTPS with a TLS 1.2+ policy and
// inbound-cidrs EKSIngressAllowList, and enableNetworkPolicy on.
func EKS(hardened bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		const tag = "20251120-1234"
		if err := eksCluster(ctx, hardened); err != nil {
			return err
		}
		k8s, err := kubernetes.NewProvider(ctx, "provider", &kubernetes.ProviderArgs{
			Kubeconfig:        config.RequireSecret(ctx, "kubeconfig"),
			DeleteUnreachable: pulumi.Bool(true),
		})
		if err != nil {
			return err
		}
		opt := pulumi.Provider(k8s)

		ns, err := corev1.NewNamespace(ctx, "pulumi-service", &corev1.NamespaceArgs{
			Metadata: &metav1.ObjectMetaArgs{Name: pulumi.String("pulumi-service")},
		}, opt)
		if err != nil {
			return err
		}
		namespace := ns.Metadata.Name()
		secret := func(name string, data pulumi.StringMap) (*corev1.Secret, error) {
			return corev1.NewSecret(ctx, name, &corev1.SecretArgs{
				Metadata:   &metav1.ObjectMetaArgs{Namespace: namespace},
				StringData: data,
			}, opt)
		}
		license, err := secret("license-key", pulumi.StringMap{"key": config.RequireSecret(ctx, "licenseKey")})
		if err != nil {
			return err
		}
		db, err := secret("aurora-db-conn", pulumi.StringMap{
			"host":     pulumi.String("pulumi-db.cluster-abc.us-west-2.rds.amazonaws.com"),
			"endpoint": pulumi.String("pulumi-db.cluster-abc.us-west-2.rds.amazonaws.com:3306"),
			"username": pulumi.String("pulumi"),
			"password": config.RequireSecret(ctx, "dbPassword"),
		})
		if err != nil {
			return err
		}
		smtp, err := secret("smtp-conn", pulumi.StringMap{
			"server":        pulumi.String("smtp.example.com:587"),
			"username":      pulumi.String("pulumi-mailer"),
			"password":      config.RequireSecret(ctx, "smtpPassword"),
			"genericsender": pulumi.String("pulumi@example.com"),
		})
		if err != nil {
			return err
		}
		recaptcha, err := secret("recaptcha", pulumi.StringMap{
			"siteKey":   config.RequireSecret(ctx, "recaptchaSiteKey"),
			"secretKey": config.RequireSecret(ctx, "recaptchaSecretKey"),
		})
		if err != nil {
			return err
		}
		fromSecret := func(name string, s *corev1.Secret, key string) corev1.EnvVarInput {
			return corev1.EnvVarArgs{Name: pulumi.String(name), ValueFrom: corev1.EnvVarSourceArgs{
				SecretKeyRef: corev1.SecretKeySelectorArgs{Name: s.Metadata.Name(), Key: pulumi.String(key)},
			}}
		}
		plain := func(name, value string) corev1.EnvVarInput {
			return corev1.EnvVarArgs{Name: pulumi.String(name), Value: pulumi.String(value)}
		}

		sa, err := corev1.NewServiceAccount(ctx, EKSAPIName, &corev1.ServiceAccountArgs{
			Metadata: &metav1.ObjectMetaArgs{Namespace: namespace, Name: pulumi.String(EKSAPIName)},
		}, opt)
		if err != nil {
			return err
		}

		migrationsEnv := corev1.EnvVarArray{
			fromSecret("PULUMI_DATABASE_ENDPOINT", db, "endpoint"),
			fromSecret("MYSQL_ROOT_USERNAME", db, "username"),
			fromSecret("MYSQL_ROOT_PASSWORD", db, "password"),
			fromSecret("PULUMI_DATABASE_PING_ENDPOINT", db, "host"),
		}
		apiEnv := corev1.EnvVarArray{
			plain("AWS_REGION", "us-west-2"),
			fromSecret("PULUMI_LICENSE_KEY", license, "key"),
			plain("PULUMI_ENTERPRISE", "true"),
			plain("PULUMI_API_DOMAIN", "api.pulumi.example.com"),
			plain("PULUMI_CONSOLE_DOMAIN", "app.pulumi.example.com"),
			fromSecret("PULUMI_DATABASE_ENDPOINT", db, "endpoint"),
			fromSecret("MYSQL_ROOT_USERNAME", db, "username"),
			fromSecret("MYSQL_ROOT_PASSWORD", db, "password"),
			plain("PULUMI_DATABASE_NAME", "pulumi"),
			plain("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT", "s3://pulumi-checkpoints"),
			plain("PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT", "s3://pulumi-policypacks"),
			plain("PULUMI_ENGINE_EVENTS_BLOB_STORAGE_ENDPOINT", "s3://pulumi-events"),
			plain("PULUMI_SERVICE_METADATA_BLOB_STORAGE_ENDPOINT", "s3://pulumi-service-metadata"),
			fromSecret("SMTP_PASSWORD", smtp, "password"),
			fromSecret("RECAPTCHA_SECRET_KEY", recaptcha, "secretKey"),
			fromSecret("LOGIN_RECAPTCHA_SECRET_KEY", recaptcha, "secretKey"),
		}
		if hardened {
			// Not secrets: plain values do.
			apiEnv = append(apiEnv,
				plain("SMTP_SERVER", "smtp.example.com:587"),
				plain("SMTP_USERNAME", "pulumi-mailer"),
				plain("SMTP_GENERIC_SENDER", "pulumi@example.com"),
			)
		} else {
			// The installer takes all four from the SMTP Secret.
			apiEnv = append(apiEnv,
				fromSecret("SMTP_SERVER", smtp, "server"),
				fromSecret("SMTP_USERNAME", smtp, "username"),
				fromSecret("SMTP_GENERIC_SENDER", smtp, "genericsender"),
			)
		}
		consoleEnv := corev1.EnvVarArray{
			plain("PULUMI_CONSOLE_DOMAIN", "app.pulumi.example.com"),
			plain("PULUMI_HOMEPAGE_DOMAIN", "app.pulumi.example.com"),
			plain("PULUMI_API", "https://api.pulumi.example.com"),
			plain("SAML_SSO_ENABLED", "false"),
			fromSecret("RECAPTCHA_SITE_KEY", recaptcha, "siteKey"),
			fromSecret("LOGIN_RECAPTCHA_SITE_KEY", recaptcha, "siteKey"),
		}

		if hardened {
			apiTLS, err := secret("api-tls", pulumi.StringMap{
				"tls.crt": pulumi.String(eksCertificate),
				"tls.key": config.RequireSecret(ctx, "apiTlsKey"),
			})
			if err != nil {
				return err
			}
			consoleTLS, err := secret("console-tls", pulumi.StringMap{
				"tls.crt": pulumi.String(eksCertificate),
				"tls.key": config.RequireSecret(ctx, "consoleTlsKey"),
			})
			if err != nil {
				return err
			}
			dbTLS := corev1.EnvVarArray{
				plain("DATABASE_CA_CERTIFICATE", eksDatabaseCA),
				plain("DATABASE_MIN_TLS_VERSION", "1.2"),
			}
			migrationsEnv = append(migrationsEnv, dbTLS...)
			apiEnv = append(apiEnv, dbTLS...)
			apiEnv = append(apiEnv,
				plain("API_TLS_CERTIFICATE", eksCertificate),
				fromSecret("API_TLS_PRIVATE_KEY", apiTLS, "tls.key"),
				plain("API_MIN_TLS_VERSION", "1.2"),
			)
			consoleEnv = append(consoleEnv,
				fromSecret("CONSOLE_TLS_CERTIFICATE", consoleTLS, "tls.crt"),
				fromSecret("CONSOLE_TLS_PRIVATE_KEY", consoleTLS, "tls.key"),
			)
		} else {
			settings, err := corev1.NewConfigMap(ctx, EKSConfigMapName, &corev1.ConfigMapArgs{
				Metadata: &metav1.ObjectMetaArgs{Namespace: namespace},
				Data: pulumi.StringMap{
					"SMTP_SERVER":       pulumi.String("smtp.example.com:587"),
					"SMTP_PASSWORD":     pulumi.String(eksConfigMapSMTPPassword),
					"DATABASE_PASSWORD": pulumi.String(eksConfigMapDBPassword),
				},
			}, opt)
			if err != nil {
				return err
			}
			apiEnv = append(apiEnv,
				corev1.EnvVarArgs{Name: pulumi.String("DATABASE_PASSWORD"), ValueFrom: corev1.EnvVarSourceArgs{
					ConfigMapKeyRef: corev1.ConfigMapKeySelectorArgs{
						Name: settings.Metadata.Name(), Key: pulumi.String("DATABASE_PASSWORD"),
					},
				}},
				plain("GITHUB_OAUTH_ENDPOINT", "https://github.com"),
				plain("GITHUB_OAUTH_SECRET", eksLiteralOAuthSecret),
			)
		}

		api, err := deployment(ctx, EKSAPIName, namespace, "service", corev1.PodSpecArgs{
			ServiceAccountName: sa.Metadata.Name(),
			InitContainers: corev1.ContainerArray{corev1.ContainerArgs{
				Name:  pulumi.String("migration"),
				Image: pulumi.String("pulumi/migrations:" + tag),
				Env:   migrationsEnv,
			}},
			Containers: corev1.ContainerArray{corev1.ContainerArgs{
				Name:  pulumi.String("service"),
				Image: pulumi.String("pulumi/service:" + tag),
				Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{
					Name: pulumi.String("api"), ContainerPort: pulumi.Int(8080),
				}},
				Env: apiEnv,
			}},
		}, opt)
		if err != nil {
			return err
		}
		apiService, err := clusterIP(ctx, EKSAPIName, namespace, "service", "api", 8080, opt, pulumi.DependsOn([]pulumi.Resource{api}))
		if err != nil {
			return err
		}
		consoleEnv = append(consoleEnv, corev1.EnvVarArgs{
			Name:  pulumi.String("PULUMI_API_INTERNAL_ENDPOINT"),
			Value: pulumi.Sprintf("http://%s:8080", apiService.Metadata.Name().Elem()),
		})
		console, err := deployment(ctx, EKSConsoleName, namespace, "console", corev1.PodSpecArgs{
			Containers: corev1.ContainerArray{corev1.ContainerArgs{
				Name:  pulumi.String("console"),
				Image: pulumi.String("pulumi/console:" + tag),
				Ports: corev1.ContainerPortArray{corev1.ContainerPortArgs{
					Name: pulumi.String("console"), ContainerPort: pulumi.Int(3000),
				}},
				Env: consoleEnv,
			}},
		}, opt)
		if err != nil {
			return err
		}
		consoleService, err := clusterIP(ctx, EKSConsoleName, namespace, "console", "console", 3000, opt, pulumi.DependsOn([]pulumi.Resource{console}))
		if err != nil {
			return err
		}
		if err := albIngress(ctx, EKSAPIIngressName, namespace, "api.pulumi.example.com", apiService, "api", hardened, opt); err != nil {
			return err
		}
		if err := albIngress(ctx, EKSConsoleIngressName, namespace, "app.pulumi.example.com", consoleService, "console", hardened, opt); err != nil {
			return err
		}
		if !hardened {
			return nil
		}
		// The load balancer (target type ip) reaches the pods from the
		// VPC's range; the Console reaches the API.
		vpc := networkingv1.NetworkPolicyPeerArgs{IpBlock: networkingv1.IPBlockArgs{Cidr: pulumi.String("10.0.0.0/16")}}
		consolePods := networkingv1.NetworkPolicyPeerArgs{PodSelector: &metav1.LabelSelectorArgs{
			MatchLabels: pulumi.StringMap{"app": pulumi.String("console")},
		}}
		if err := ingressOnly(ctx, EKSAPIName, namespace, "service", 8080, opt, vpc, consolePods); err != nil {
			return err
		}
		return ingressOnly(ctx, EKSConsoleName, namespace, "console", 3000, opt, vpc)
	}
}

// ingressOnly registers a NetworkPolicy that admits to the pods labelled
// app=<app> only the given peers, on one port.
func ingressOnly(ctx *pulumi.Context, name string, namespace pulumi.StringPtrInput, app string, port int,
	opt pulumi.ResourceOption, from ...networkingv1.NetworkPolicyPeerInput,
) error {
	_, err := networkingv1.NewNetworkPolicy(ctx, name, &networkingv1.NetworkPolicyArgs{
		Metadata: &metav1.ObjectMetaArgs{Namespace: namespace},
		Spec: networkingv1.NetworkPolicySpecArgs{
			PodSelector: metav1.LabelSelectorArgs{MatchLabels: pulumi.StringMap{"app": pulumi.String(app)}},
			PolicyTypes: pulumi.StringArray{pulumi.String("Ingress")},
			Ingress: networkingv1.NetworkPolicyIngressRuleArray{networkingv1.NetworkPolicyIngressRuleArgs{
				From:  networkingv1.NetworkPolicyPeerArray(from),
				Ports: networkingv1.NetworkPolicyPortArray{networkingv1.NetworkPolicyPortArgs{Port: pulumi.Int(port)}},
			}},
		},
	}, opt)
	return err
}

// deployment registers a Deployment of one replica set labelled app=<app>.
func deployment(ctx *pulumi.Context, name string, namespace pulumi.StringPtrInput, app string,
	pod corev1.PodSpecArgs, opts ...pulumi.ResourceOption,
) (*appsv1.Deployment, error) {
	labels := pulumi.StringMap{"app": pulumi.String(app)}
	return appsv1.NewDeployment(ctx, name, &appsv1.DeploymentArgs{
		Metadata: &metav1.ObjectMetaArgs{Namespace: namespace, Labels: labels},
		Spec: appsv1.DeploymentSpecArgs{
			Replicas: pulumi.Int(2),
			Selector: &metav1.LabelSelectorArgs{MatchLabels: labels},
			Template: &corev1.PodTemplateSpecArgs{
				Metadata: &metav1.ObjectMetaArgs{Labels: labels},
				Spec:     pod,
			},
		},
	}, opts...)
}

// clusterIP registers the ClusterIP Service in front of a Deployment.
func clusterIP(ctx *pulumi.Context, name string, namespace pulumi.StringPtrInput, app, port string, number int,
	opts ...pulumi.ResourceOption,
) (*corev1.Service, error) {
	return corev1.NewService(ctx, name, &corev1.ServiceArgs{
		Metadata: &metav1.ObjectMetaArgs{Namespace: namespace},
		Spec: &corev1.ServiceSpecArgs{
			Type:     pulumi.String("ClusterIP"),
			Selector: pulumi.StringMap{"app": pulumi.String(app)},
			Ports: corev1.ServicePortArray{corev1.ServicePortArgs{
				Name: pulumi.String(port), Port: pulumi.Int(number), TargetPort: pulumi.String(port),
			}},
		},
	}, opts...)
}

// eksCluster registers the cluster as the installer's 05-eks-cluster and
// 10-cluster-svcs stacks have it: the eks:index:Cluster and
// eks:index:ManagedNodeGroup components (by token, with their inputs) and
// the vpc-cni add-on.
func eksCluster(ctx *pulumi.Context, hardened bool) error {
	subnets := pulumi.ToStringArray(EKSPrivateSubnetIDs)
	inputs := pulumi.Map{
		"vpcId":                        pulumi.String("vpc-0123456789abcdef0"),
		"publicSubnetIds":              pulumi.ToStringArray([]string{"subnet-0cc3public0000003", "subnet-0dd4public0000004"}),
		"privateSubnetIds":             subnets,
		"nodeAssociatePublicIpAddress": pulumi.Bool(false),
		"skipDefaultNodeGroup":         pulumi.Bool(true),
		"createOidcProvider":           pulumi.Bool(true),
		"version":                      pulumi.String("1.31"),
	}
	if hardened {
		inputs["endpointPublicAccess"] = pulumi.Bool(false)
		inputs["endpointPrivateAccess"] = pulumi.Bool(true)
		inputs["encryptionConfigKeyArn"] = pulumi.String("arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
	}
	var cluster eksComponent
	if err := ctx.RegisterComponentResourceV2("eks:index:Cluster", EKSClusterName, inputs, &cluster); err != nil {
		return err
	}
	if err := ctx.RegisterResourceOutputs(&cluster, pulumi.Map{}); err != nil {
		return err
	}
	var nodes eksComponent
	if err := ctx.RegisterComponentResourceV2("eks:index:ManagedNodeGroup", EKSNodeGroupName, pulumi.Map{
		"clusterName":   pulumi.String(EKSClusterName),
		"nodeGroupName": pulumi.String(EKSNodeGroupName),
		"nodeRoleArn":   pulumi.String("arn:aws:iam::123456789012:role/pulumi-selfhosted-nodes"),
		"subnetIds":     subnets,
		"instanceTypes": pulumi.ToStringArray([]string{"t3.xlarge"}),
		"scalingConfig": pulumi.Map{"desiredSize": pulumi.Int(3), "minSize": pulumi.Int(3), "maxSize": pulumi.Int(5)},
	}, &nodes, pulumi.DependsOn([]pulumi.Resource{&cluster})); err != nil {
		return err
	}
	if err := ctx.RegisterResourceOutputs(&nodes, pulumi.Map{}); err != nil {
		return err
	}
	args := &eks.AddonArgs{
		ClusterName: pulumi.String(EKSClusterName),
		AddonName:   pulumi.String("vpc-cni"),
	}
	if hardened {
		values, err := json.Marshal(map[string]string{"enableNetworkPolicy": "true"})
		if err != nil {
			return err
		}
		args.ConfigurationValues = pulumi.String(string(values))
	}
	_, err := eks.NewAddon(ctx, EKSVPCCNIName, args, pulumi.DependsOn([]pulumi.Resource{&cluster}))
	return err
}

// albIngress registers an Ingress of the AWS Load Balancer Controller in
// front of a Service, as the installer's 90-pulumi-service does (violating),
// or hardened: HTTP redirected to HTTPS, a TLS 1.2+ security policy, and
// only the allowlist admitted.
func albIngress(ctx *pulumi.Context, name string, namespace pulumi.StringPtrInput, host string, svc *corev1.Service,
	port string, hardened bool, opt pulumi.ResourceOption,
) error {
	ann := pulumi.StringMap{
		"kubernetes.io/ingress.class":                pulumi.String("alb"),
		"alb.ingress.kubernetes.io/scheme":           pulumi.String("internet-facing"),
		"alb.ingress.kubernetes.io/target-type":      pulumi.String("ip"),
		"alb.ingress.kubernetes.io/listen-ports":     pulumi.String(`[{"HTTP": 80}, {"HTTPS": 443}]`),
		"alb.ingress.kubernetes.io/certificate-arn":  pulumi.String("arn:aws:acm:us-west-2:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab"),
		"alb.ingress.kubernetes.io/healthcheck-path": pulumi.String("/"),
	}
	if hardened {
		ann["alb.ingress.kubernetes.io/ssl-redirect"] = pulumi.String("443")
		ann["alb.ingress.kubernetes.io/ssl-policy"] = pulumi.String("ELBSecurityPolicy-TLS13-1-2-2021-06")
		ann["alb.ingress.kubernetes.io/inbound-cidrs"] = pulumi.String(EKSIngressAllowList)
	} else {
		ann["alb.ingress.kubernetes.io/security-groups"] = pulumi.String(EKSOutsideSecurityGroup)
	}
	_, err := networkingv1.NewIngress(ctx, name, &networkingv1.IngressArgs{
		Metadata: &metav1.ObjectMetaArgs{Namespace: namespace, Annotations: ann},
		Spec: &networkingv1.IngressSpecArgs{
			Rules: networkingv1.IngressRuleArray{networkingv1.IngressRuleArgs{
				Host: pulumi.String(host),
				Http: &networkingv1.HTTPIngressRuleValueArgs{
					Paths: networkingv1.HTTPIngressPathArray{networkingv1.HTTPIngressPathArgs{
						Path:     pulumi.String("/"),
						PathType: pulumi.String("Prefix"),
						Backend: networkingv1.IngressBackendArgs{
							Service: &networkingv1.IngressServiceBackendArgs{
								Name: svc.Metadata.Name().Elem(),
								Port: &networkingv1.ServiceBackendPortArgs{Name: pulumi.String(port)},
							},
						},
					}},
				},
			}},
		},
	}, opt)
	return err
}
