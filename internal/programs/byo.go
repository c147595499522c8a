package programs

import (
	"maps"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// The byo-infra program's plain stack config: the database and the object
// store live outside the stack and reach it as config strings.
const (
	BYODatabaseHostConfig     = "databaseHost"
	BYOCheckpointBucketConfig = "checkpointBucketConnectionString"
	BYOPolicyBucketConfig     = "policyBucketConnectionString"
	BYOStorageAccessKeyConfig = "storageAccessKeyId"
	byoStorageSecretConfig    = "storageSecretAccessKey"
	byoStorageSecretName      = "storage-conn"
	byoViolatingChart         = "4.2.5" // byo-infra's pin
	byoViolatingController    = "1.3.1"
	byoDatabaseCA             = "-----BEGIN CERTIFICATE-----\nMIIBbyoMySQLCertificateAuthority\n-----END CERTIFICATE-----\n"
)

// byoEndpoints are the object-store connection strings: the README's MinIO
// example, with disableSSL=true unless hardened.
func byoEndpoints(hardened bool) map[string]string {
	tls := "&disableSSL=true"
	if hardened {
		tls = ""
	}
	return map[string]string{
		BYOCheckpointBucketConfig: "s3://pulumi-checkpoints?endpoint=minio.example.internal:9000" + tls + "&s3ForcePathStyle=true",
		BYOPolicyBucketConfig:     "s3://pulumi-policypacks?endpoint=minio.example.internal:9000" + tls + "&s3ForcePathStyle=true",
	}
}

// BYOConfig is the byo-infra program's plain stack config, violating or
// hardened. Violating, as the installer's README sets them, the
// connection strings are plain config too; hardened, they are secrets
// (BYOSecretConfig).
func BYOConfig(hardened bool) map[string]string {
	cfg := map[string]string{
		BYODatabaseHostConfig:     "mysql.db.example.internal",
		BYOStorageAccessKeyConfig: "pulumi-minio-access-key",
	}
	if !hardened {
		maps.Copy(cfg, byoEndpoints(false))
	}
	return cfg
}

// BYOSecretConfig is the stack config the byo-infra program reads as
// secrets, violating or hardened. None may appear in any output.
func BYOSecretConfig(hardened bool) map[string]string {
	cfg := AppSecretConfig("byo")
	cfg[byoStorageSecretConfig] = "byo-Min10-S3cret-Access-Key-not-shown"
	cfg[LocalKeysConfig] = "byo-L0cal-Keys-32-bytes-not-shown"
	if hardened {
		maps.Copy(cfg, byoEndpoints(true))
	}
	return cfg
}

// BYOHardenedPolicyConfig is the --policy-pack-config the hardened
// byo-infra program needs: the edge's allowlist.
func BYOHardenedPolicyConfig() map[string]any {
	return map[string]any{
		"load-balancer-ingress-allowlist": map[string]any{"ingressAllowList": []string{IngressAllowList}},
	}
}

// BYO returns a program in the shape of the byo-infra installer
// (pulumi/pulumi-self-hosted-installers, byo-infra; Kubernetes only), its
// stacks in one: the database and the object store are config strings
// (BYOConfig); ingress-nginx from a kubernetes:helm.sh/v3:Chart whose
// controller Service is a NodePort (its rendered objects, ingressnginx.go);
// the service's encryption key in a Secret mounted as the API's keys file;
// and the service tier (k8sapp.go), whose API takes the object store's
// credentials from a Secret and its endpoints from config.
//
// Not hardened, as the installer has them or as issue 21 found them: the
// endpoints with disableSSL=true (BYOConfig(false)); chart 4.2.5 (before
// the CVE-2025-1974 fixes) with a NodePort controller Service; the key a
// RandomString; the Ingress (ssl-redirect only) without an allowlist; no
// TLS variables.
//
// Hardened: endpoints without disableSSL (BYOConfig(true)); chart 4.12.1
// with a LoadBalancer controller Service limited by loadBalancerSourceRanges;
// the key secret stack config; the Ingress's whitelist-source-range; the
// guide's TLS variables and NetworkPolicies.
func BYO(hardened bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		k8s, err := kubernetes.NewProvider(ctx, "k8s-provider", &kubernetes.ProviderArgs{
			Kubeconfig: config.RequireSecret(ctx, "kubeconfig"),
		})
		if err != nil {
			return err
		}
		opt := pulumi.Provider(k8s)
		ingressNs, err := ingressNamespace(ctx, opt)
		if err != nil {
			return err
		}
		chart := renderedChart{chartVersion: byoViolatingChart, controllerVersion: byoViolatingController, serviceType: "NodePort"}
		if hardened {
			chart = renderedChart{chartVersion: FixedIngressChart, controllerVersion: FixedIngressController,
				serviceType: "LoadBalancer", sourceRanges: []string{IngressAllowList}}
		}
		if err := ingressNginxChart(ctx, chart, k8s, ingressNs); err != nil {
			return err
		}

		ns, err := appNamespace(ctx, opt)
		if err != nil {
			return err
		}
		key, err := encryptionKey(ctx, hardened)
		if err != nil {
			return err
		}
		volumes, mounts, keysEnv, err := localKeys(ctx, key, ns, opt)
		if err != nil {
			return err
		}
		tier := serviceTier{
			hardened: hardened, opt: opt, namespace: ns,
			dbHost: pulumi.String(config.Require(ctx, BYODatabaseHostConfig)), dbCA: byoDatabaseCA,
			apiVolumes: volumes, apiMounts: mounts,
			ingressAnnotations: map[string]string{"nginx.ingress.kubernetes.io/ssl-redirect": "true"},
			ingressNamespace:   IngressNamespace,
		}
		storageSecret, err := tier.secret(ctx, byoStorageSecretName, pulumi.StringMap{
			"accessKeyId":     pulumi.String(config.Require(ctx, BYOStorageAccessKeyConfig)),
			"secretAccessKey": config.RequireSecret(ctx, byoStorageSecretConfig),
		})
		if err != nil {
			return err
		}
		endpoint := func(key string) pulumi.StringInput {
			if hardened {
				return config.RequireSecret(ctx, key)
			}
			return pulumi.String(config.Require(ctx, key))
		}
		tier.apiEnv = corev1.EnvVarArray{
			keysEnv,
			// A dummy region the bucket access code needs, as the installer sets it.
			plainEnv("AWS_REGION", pulumi.String("us-east-1")),
			fromSecret("AWS_ACCESS_KEY_ID", storageSecret, "accessKeyId"),
			fromSecret("AWS_SECRET_ACCESS_KEY", storageSecret, "secretAccessKey"),
			plainEnv("PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT", endpoint(BYOPolicyBucketConfig)),
			plainEnv("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT", endpoint(BYOCheckpointBucketConfig)),
		}
		return tier.build(ctx)
	}
}
