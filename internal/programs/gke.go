package programs

import (
	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	corev1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/core/v1"
	metav1 "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/meta/v1"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Logical names of the GKE program's resources that findings are about.
const (
	GKECheckpointBucketName = "pulumi-checkpoints"
	GKEPolicyBucketName     = "pulumi-policypacks"
	GKEDatabaseName         = "pulumi-db" // gcp:sql/databaseInstance:DatabaseInstance
	GKEClusterName          = "pulumi-self-hosted"
	// GKEEncryptionKeyName is the service's encryption key, a RandomString
	// (violating, as the installer has it).
	GKEEncryptionKeyName = "pulumi-selfhosted-secret"
	// GKELocalKeysSecretName is the Kubernetes Secret it goes into, mounted
	// as the API's keys file (PULUMI_LOCAL_KEYS).
	GKELocalKeysSecretName = "pulumi-selfhosted-local-keys"
)

// Values from another stack or from config: the VPC, the region, the KMS key.
const (
	gkeNetwork = "projects/pulumi-selfhosted-demo/global/networks/pulumi-vpc"
	gkeRegion  = "us-central1"
	// gkeDatabaseHost is the instance's private address as 03-application
	// gets it: a known string from the infrastructure stack's outputs.
	gkeDatabaseHost   = "10.20.0.3"
	gkeClusterVersion = "1.31"
	gkeKMSKey         = "projects/pulumi-selfhosted-demo/locations/us-central1/keyRings/pulumi/cryptoKeys/gke-secrets"
	// gkeMasterRange is the VPC range the hardened control plane admits.
	gkeMasterRange        = "10.128.0.0/16"
	gkeViolatingChart     = "4.7.1" // gke-hosted's pin
	gkeViolatingControl   = "1.8.1"
	gcpCloudSQLServerCA   = "-----BEGIN CERTIFICATE-----\nMIIBgcpCloudSQLServerCAForTheDemo\n-----END CERTIFICATE-----\n"
	localKeysVolume       = "encryptionservice"
	localKeysKey          = "pulumilocalkeys"
	localKeysSecretObject = "pulumilocalkeys"
)

// RandomVersion is the random provider release the GKE and byo-infra
// programs ask for (the stand-in test double internal/e2e/fakerandom
// answers as it); @pulumi/random 4.21.2 gives the inputs' shapes.
const RandomVersion = "4.21.2"

// GKESecretConfig is the stack config the GKE program reads, each value to
// be set as a secret. None may appear in any output.
func GKESecretConfig() map[string]string {
	cfg := AppSecretConfig("gke")
	cfg[LocalKeysConfig] = "gke-L0cal-Keys-32-bytes-not-shown"
	return cfg
}

// GKEHardenedPolicyConfig is the --policy-pack-config the hardened GKE
// program needs: the edge's allowlist.
func GKEHardenedPolicyConfig() map[string]any {
	return map[string]any{
		"load-balancer-ingress-allowlist": map[string]any{"ingressAllowList": []string{IngressAllowList}},
	}
}

// randomResource is a resource of the random provider, registered by type
// token, with its result.
type randomResource struct {
	pulumi.CustomResourceState
	Result pulumi.StringOutput `pulumi:"result"`
}

// LocalKeysConfig is the secret stack config that holds the hardened
// programs' encryption key.
const LocalKeysConfig = "localKeys"

// encryptionKey is the service's 32-character encryption key: a
// random:index/randomString:RandomString, whose result is not a secret, as
// gke-hosted's and byo-infra's EncryptionService have it; hardened, a
// Pulumi secret from stack config (LocalKeysConfig). A RandomPassword would
// keep it secret in the state too, but its result is unknown in a preview,
// where the pack cannot tell a secret from a plain value (the SDKs send an
// unknown without its secrecy), so the key's Secret could not be judged
// until the update.
func encryptionKey(ctx *pulumi.Context, hardened bool) (pulumi.StringOutput, error) {
	if hardened {
		return config.RequireSecret(ctx, LocalKeysConfig), nil
	}
	var r randomResource
	err := ctx.RegisterResource("random:index/randomString:RandomString", GKEEncryptionKeyName, pulumi.Map{
		"length": pulumi.Int(32), "special": pulumi.Bool(false),
	}, &r, pulumi.Version(RandomVersion))
	return r.Result, err
}

// localKeys puts the key into a Secret in the service's namespace and
// returns the API's volume, mount and PULUMI_LOCAL_KEYS variable for it.
func localKeys(ctx *pulumi.Context, key pulumi.StringOutput, ns pulumi.StringPtrInput, opt pulumi.ResourceOption,
) (corev1.VolumeArray, corev1.VolumeMountArray, corev1.EnvVarInput, error) {
	_, err := corev1.NewSecret(ctx, GKELocalKeysSecretName, &corev1.SecretArgs{
		Metadata:   &metav1.ObjectMetaArgs{Namespace: ns, Name: pulumi.String(localKeysSecretObject)},
		StringData: pulumi.StringMap{localKeysKey: key},
	}, opt)
	volumes := corev1.VolumeArray{corev1.VolumeArgs{
		Name: pulumi.String(localKeysVolume), Secret: &corev1.SecretVolumeSourceArgs{SecretName: pulumi.String(localKeysSecretObject)},
	}}
	mounts := corev1.VolumeMountArray{corev1.VolumeMountArgs{
		Name: pulumi.String(localKeysVolume), MountPath: pulumi.String("/" + localKeysVolume), ReadOnly: pulumi.Bool(true),
	}}
	env := plainEnv("PULUMI_LOCAL_KEYS", pulumi.String("/"+localKeysVolume+"/"+localKeysKey))
	return volumes, mounts, env, err
}

// GCPVersion is the gcp provider release the GKE program asks for, the
// one github.com/pulumi/pulumi-gcp/sdk/v9 v9.6.0 asks for (the stand-in test
// double internal/e2e/fakegcp answers as it).
const GCPVersion = "9.6.0"

// gcpResource is a resource of the gcp provider, registered by type token
// with the inputs @pulumi/gcp 9.x sends (the Go SDK's storage, sql and
// container packages would do the same, at minutes of compiling each).
type gcpResource struct {
	pulumi.CustomResourceState
	Name pulumi.StringOutput `pulumi:"name"`
}

// gcp registers one gcp resource.
func gcp(ctx *pulumi.Context, token, name string, inputs pulumi.Map, opts ...pulumi.ResourceOption) (*gcpResource, error) {
	var r gcpResource
	err := ctx.RegisterResource(token, name, inputs, &r, append(opts, pulumi.Version(GCPVersion))...)
	return &r, err
}

// GKE returns a program in the shape of the GKE installer
// (pulumi/pulumi-self-hosted-installers, gke-hosted; pulumi-gcp v9), its
// three stacks in one (gcp resources registered by type token, inputs
// shaped as @pulumi/gcp 9.x sends them): two GCS buckets; a Cloud SQL for MySQL instance on
// the VPC's private network with its user and the "pulumi" database; the
// Autopilot GKE cluster; ingress-nginx from a kubernetes:helm.sh/v3:Chart
// (its rendered controller objects, ingressnginx.go); the service's
// encryption key in a Secret mounted as the API's keys file; and the
// service tier (k8sapp.go), whose API reads the buckets by gs:// URL.
//
// Not hardened, as the installer has them or as issue 20 found them: the
// buckets with neither uniform bucket-level access nor public access
// prevention; the instance with sslMode ALLOW_UNENCRYPTED_AND_ENCRYPTED;
// the cluster with a public control plane (no masterAuthorizedNetworksConfig,
// no privateClusterConfig), no KMS for Secrets and public nodes; the key a
// RandomString; chart 4.7.1 (before the CVE-2025-1974 fixes) whose
// LoadBalancer Service has no loadBalancerSourceRanges; no TLS variables.
//
// Hardened: uniform access and enforced public access prevention; sslMode
// ENCRYPTED_ONLY; private nodes and endpoint, the control plane open to the
// VPC's range only, Secrets encrypted with a Cloud KMS key; the key secret
// stack config; chart 4.12.1 with loadBalancerSourceRanges; the Ingress's
// whitelist-source-range; the guide's TLS variables and NetworkPolicies.
func GKE(hardened bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		labels := pulumi.StringMap{"app": pulumi.String("pulumi-selfhosted")}
		buckets := map[string]*gcpResource{}
		for _, name := range []string{GKECheckpointBucketName, GKEPolicyBucketName} {
			args := pulumi.Map{"location": pulumi.String("US"), "labels": labels}
			if hardened {
				args["uniformBucketLevelAccess"] = pulumi.Bool(true)
				args["publicAccessPrevention"] = pulumi.String("enforced")
			}
			b, err := gcp(ctx, "gcp:storage/bucket:Bucket", name, args)
			if err != nil {
				return err
			}
			buckets[name] = b
		}

		sslMode := "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
		if hardened {
			sslMode = "ENCRYPTED_ONLY"
		}
		db, err := gcp(ctx, "gcp:sql/databaseInstance:DatabaseInstance", GKEDatabaseName, pulumi.Map{
			"databaseVersion": pulumi.String("MYSQL_8_0"),
			"region":          pulumi.String(gkeRegion),
			"settings": pulumi.Map{
				"tier": pulumi.String("db-n1-standard-2"),
				"ipConfiguration": pulumi.Map{
					"ipv4Enabled":    pulumi.Bool(false),
					"privateNetwork": pulumi.String(gkeNetwork),
					"sslMode":        pulumi.String(sslMode),
				},
			},
			"deletionProtection": pulumi.Bool(true),
		})
		if err != nil {
			return err
		}
		if _, err := gcp(ctx, "gcp:sql/user:User", "pulumi-dbuser", pulumi.Map{
			"instance": db.Name, "name": pulumi.String("pulumiadmin"), "password": config.RequireSecret(ctx, "dbPassword"),
		}, pulumi.Parent(db)); err != nil {
			return err
		}
		if _, err := gcp(ctx, "gcp:sql/database:Database", "pulumi-mysql", pulumi.Map{
			"instance": db.Name, "name": pulumi.String("pulumi"),
		}, pulumi.Parent(db)); err != nil {
			return err
		}

		cluster := pulumi.Map{
			"network":            pulumi.String(gkeNetwork),
			"enableAutopilot":    pulumi.Bool(true),
			"location":           pulumi.String(gkeRegion),
			"ipAllocationPolicy": pulumi.Map{},
			"minMasterVersion":   pulumi.String(gkeClusterVersion),
		}
		if hardened {
			cluster["privateClusterConfig"] = pulumi.Map{
				"enablePrivateNodes": pulumi.Bool(true), "enablePrivateEndpoint": pulumi.Bool(true),
				"masterIpv4CidrBlock": pulumi.String("172.16.0.32/28"),
			}
			cluster["masterAuthorizedNetworksConfig"] = pulumi.Map{"cidrBlocks": pulumi.Array{pulumi.Map{
				"cidrBlock": pulumi.String(gkeMasterRange), "displayName": pulumi.String("vpc"),
			}}}
			cluster["databaseEncryption"] = pulumi.Map{"state": pulumi.String("ENCRYPTED"), "keyName": pulumi.String(gkeKMSKey)}
		}
		if _, err := gcp(ctx, "gcp:container/cluster:Cluster", GKEClusterName, cluster); err != nil {
			return err
		}

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
		chart := renderedChart{chartVersion: gkeViolatingChart, controllerVersion: gkeViolatingControl, serviceType: "LoadBalancer"}
		if hardened {
			chart.chartVersion, chart.controllerVersion = FixedIngressChart, FixedIngressController
			chart.sourceRanges = []string{IngressAllowList}
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
		return serviceTier{
			hardened: hardened, opt: opt, namespace: ns,
			dbHost: pulumi.String(gkeDatabaseHost), dbCA: gcpCloudSQLServerCA,
			apiEnv: corev1.EnvVarArray{
				keysEnv,
				plainEnv("PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT", pulumi.Sprintf("gs://%s", buckets[GKEPolicyBucketName].Name)),
				plainEnv("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT", pulumi.Sprintf("gs://%s", buckets[GKECheckpointBucketName].Name)),
			},
			apiVolumes: volumes, apiMounts: mounts,
			ingressNamespace: IngressNamespace,
		}.build(ctx)
	}
}
