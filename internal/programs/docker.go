package programs

import (
	"github.com/pulumi/pulumi-docker/sdk/v4/go/docker"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// DockerSecretConfig is the stack config the Docker program reads, each
// value to be set as a secret (pulumi config set --secret). None of these
// values may appear in any output.
var DockerSecretConfig = map[string]string{
	"licenseKey":         "docker-L1cense-Key-not-shown",
	"dbUserPassword":     "docker-Db-Passw0rd-not-shown",
	"storageSecretKey":   "docker-Min1o-Secret-not-shown",
	"smtpPassword":       "docker-Smtp-Passw0rd-not-shown",
	"recaptchaSecretKey": "docker-Recaptcha-S3cret-not-shown",
	"apiTlsKey":          "-----BEGIN PRIVATE KEY-----\ndocker-Api-TLS-Key-not-shown\n-----END PRIVATE KEY-----\n",
	"consoleTlsKey":      "-----BEGIN PRIVATE KEY-----\ndocker-Console-TLS-Key-not-shown\n-----END PRIVATE KEY-----\n",
}

// DockerHardenedPolicyConfig is the --policy-pack-config the hardened
// Docker program needs: the variables the service reads only from its
// environment (no file form in its reference), which a single Docker host,
// having no secret store, must keep there as Pulumi secrets.
func DockerHardenedPolicyConfig() map[string]any {
	return map[string]any{"container-secrets-not-in-environment": map[string]any{"allowEnv": []string{
		"PULUMI_LICENSE_KEY", "PULUMI_DATABASE_USER_PASSWORD", "MYSQL_ROOT_PASSWORD", "SMTP_PASSWORD",
		"RECAPTCHA_SECRET_KEY"}}}
}

const (
	dockerDataPath    = "/opt/pulumi-ee/data"
	dockerCertificate = "-----BEGIN CERTIFICATE-----\nMIIBdockerTLSCertificateForTheDemo\n-----END CERTIFICATE-----\n"
	dockerDatabaseCA  = "-----BEGIN CERTIFICATE-----\nMIIBdockerDatabaseCertificateAuthority\n-----END CERTIFICATE-----\n"
)

// Docker returns a program in the shape of the local-docker installer
// (pulumi/pulumi-self-hosted-installers, local-docker): a network, the
// images as RemoteImages (the containers run their repoDigest, unknown in a
// preview), and the migrations, API, Console and nginx proxy as
// docker.Container with their settings in envs.
//
// The violating program is the installer with exposeContainerPorts: every
// secret is a Pulumi secret in envs (still the containers' plain
// environment), the API and Console serve plain HTTP on 8080 and 3000,
// published on every host address beside the nginx proxy, MinIO is reached
// with disableSSL=true, and there are no database TLS variables. The
// hardened twin gives the API and Console their TLS certificate and key as
// files (uploads, the key a Pulumi secret), publishes only their HTTPS
// ports, sets the database TLS variables, reaches MinIO over https, hands
// the MinIO key pair over as an AWS credentials file, and keeps in envs only
// what the service reads from nowhere else (DockerHardenedPolicyConfig).
func Docker(hardened bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error { return dockerProgram(ctx, hardened) }
}

func dockerProgram(ctx *pulumi.Context, hardened bool) error {
	cfg := config.New(ctx, "")
	secret := func(key string) pulumi.StringOutput { return cfg.RequireSecret(key) }
	env := func(name string, v pulumi.StringOutput) pulumi.StringOutput {
		return pulumi.Sprintf("%s=%s", name, v)
	}
	network, err := docker.NewNetwork(ctx, "pulumi-services", &docker.NetworkArgs{Name: pulumi.String("pulumi-services")})
	if err != nil {
		return err
	}
	image := func(name, ref string) (*docker.RemoteImage, error) {
		return docker.NewRemoteImage(ctx, name, &docker.RemoteImageArgs{Name: pulumi.String(ref),
			KeepLocally: pulumi.Bool(true)})
	}
	networks := docker.ContainerNetworksAdvancedArray{docker.ContainerNetworksAdvancedArgs{Name: network.Name}}

	migrationsImage, err := image("migrations", "pulumi/migrations:20251101")
	if err != nil {
		return err
	}
	migrationsEnv := pulumi.StringArray{
		pulumi.String("PULUMI_DATABASE_ENDPOINT=pulumi-db:3306"), pulumi.String("PULUMI_DATABASE_PING_ENDPOINT=pulumi-db"),
		pulumi.String("SKIP_CREATE_DB_USER=true"), pulumi.String("MYSQL_ROOT_USERNAME=pulumi"),
		env("MYSQL_ROOT_PASSWORD", secret("dbUserPassword")),
	}
	if hardened {
		migrationsEnv = append(migrationsEnv, pulumi.String("DATABASE_CA_CERTIFICATE="+dockerDatabaseCA),
			pulumi.String("DATABASE_MIN_TLS_VERSION=1.2"))
	}
	if _, err := docker.NewContainer(ctx, "migrations", &docker.ContainerArgs{
		Name: pulumi.String("pulumi-migrations"), Image: migrationsImage.RepoDigest, Envs: migrationsEnv,
		Restart: pulumi.String("no"), NetworksAdvanced: networks,
	}); err != nil {
		return err
	}

	serviceImage, err := image("service", "pulumi/service:20251101")
	if err != nil {
		return err
	}
	serviceEnv := pulumi.StringArray{
		pulumi.String("PULUMI_ENTERPRISE=true"), env("PULUMI_LICENSE_KEY", secret("licenseKey")),
		pulumi.String("PULUMI_API_DOMAIN=api.pulumi.example.com"), pulumi.String("PULUMI_CONSOLE_DOMAIN=app.pulumi.example.com"),
		pulumi.String("PULUMI_DATABASE_NAME=pulumi"), pulumi.String("PULUMI_DATABASE_ENDPOINT=pulumi-db:3306"),
		pulumi.String("PULUMI_DATABASE_USER_NAME=pulumi"), env("PULUMI_DATABASE_USER_PASSWORD", secret("dbUserPassword")),
		pulumi.String("AWS_REGION=us-east-1"),
		pulumi.String("PULUMI_LOCAL_KEYS=" + dockerDataPath + "/localkeys"),
		pulumi.String("SMTP_SERVER=smtp.example.com:465"), pulumi.String("SMTP_USERNAME=pulumi"),
		env("SMTP_PASSWORD", secret("smtpPassword")), pulumi.String("SMTP_GENERIC_SENDER=noreply@example.com"),
		env("RECAPTCHA_SECRET_KEY", secret("recaptchaSecretKey")),
	}
	serviceArgs := &docker.ContainerArgs{
		Name: pulumi.String("pulumi-api"), Image: serviceImage.RepoDigest, Restart: pulumi.String("unless-stopped"),
		NetworksAdvanced: docker.ContainerNetworksAdvancedArray{docker.ContainerNetworksAdvancedArgs{
			Name: network.Name, Aliases: pulumi.StringArray{pulumi.String("pulumi-api")}}},
		Volumes: docker.ContainerVolumeArray{docker.ContainerVolumeArgs{HostPath: pulumi.String(dockerDataPath + "/localkeys"),
			ContainerPath: pulumi.String(dockerDataPath + "/localkeys"), ReadOnly: pulumi.Bool(true)}},
	}
	if hardened {
		serviceEnv = append(serviceEnv,
			pulumi.String("API_TLS_CERTIFICATE=/run/secrets/api-tls.pem"), pulumi.String("API_TLS_PRIVATE_KEY=/run/secrets/api-tls.key"),
			pulumi.String("API_MIN_TLS_VERSION=1.2"),
			pulumi.String("DATABASE_CA_CERTIFICATE="+dockerDatabaseCA), pulumi.String("DATABASE_MIN_TLS_VERSION=1.2"),
			pulumi.String("AWS_SHARED_CREDENTIALS_FILE=/run/secrets/aws-credentials"),
			pulumi.String("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT=s3://pulumi-checkpoints?endpoint=https://minio.internal:9000&s3ForcePathStyle=true"),
			pulumi.String("PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT=s3://pulumi-policypacks?endpoint=https://minio.internal:9000&s3ForcePathStyle=true"))
		serviceArgs.Uploads = docker.ContainerUploadArray{
			docker.ContainerUploadArgs{File: pulumi.String("/run/secrets/api-tls.pem"), Content: pulumi.String(dockerCertificate)},
			docker.ContainerUploadArgs{File: pulumi.String("/run/secrets/api-tls.key"), Content: secret("apiTlsKey"),
				Permissions: pulumi.String("0400")},
			docker.ContainerUploadArgs{File: pulumi.String("/run/secrets/aws-credentials"), Permissions: pulumi.String("0400"),
				Content: pulumi.Sprintf("[default]\naws_access_key_id = minio-access\naws_secret_access_key = %s\n",
					secret("storageSecretKey"))},
		}
		serviceArgs.Ports = docker.ContainerPortArray{docker.ContainerPortArgs{Internal: pulumi.Int(8443), External: pulumi.Int(8443)}}
	} else {
		// The installer: MinIO's key pair in envs, its endpoints with
		// disableSSL=true, and exposeContainerPorts.
		serviceEnv = append(serviceEnv, pulumi.String("AWS_ACCESS_KEY_ID=minio-access"),
			env("AWS_SECRET_ACCESS_KEY", secret("storageSecretKey")),
			pulumi.String("PULUMI_CHECKPOINT_BLOB_STORAGE_ENDPOINT=s3://pulumi-checkpoints?endpoint=minio:9000&disableSSL=true&s3ForcePathStyle=true"),
			pulumi.String("PULUMI_POLICY_PACK_BLOB_STORAGE_ENDPOINT=s3://pulumi-policypacks?endpoint=minio:9000&disableSSL=true&s3ForcePathStyle=true"))
		serviceArgs.Ports = docker.ContainerPortArray{docker.ContainerPortArgs{Internal: pulumi.Int(8080), External: pulumi.Int(8080)}}
	}
	serviceArgs.Envs = serviceEnv
	service, err := docker.NewContainer(ctx, "service", serviceArgs)
	if err != nil {
		return err
	}

	consoleImage, err := image("console", "pulumi/console:20251101")
	if err != nil {
		return err
	}
	consoleEnv := pulumi.StringArray{
		pulumi.String("PULUMI_ENTERPRISE=true"), pulumi.String("SAML_SSO_ENABLED=false"),
		pulumi.String("PULUMI_API=https://api.pulumi.example.com"),
		pulumi.String("CONSOLE_DOMAIN=https://app.pulumi.example.com"), pulumi.String("HOMEPAGE_DOMAIN=https://app.pulumi.example.com"),
		pulumi.String("RECAPTCHA_SITE_KEY=0x4AAAAAAA-docker-site-key"),
	}
	consoleArgs := &docker.ContainerArgs{Name: pulumi.String("pulumi-console"), Image: consoleImage.RepoDigest,
		Restart: pulumi.String("unless-stopped"), NetworksAdvanced: networks}
	if hardened {
		consoleEnv = append(consoleEnv, pulumi.Sprintf("PULUMI_API_INTERNAL_ENDPOINT=https://%s:8443", service.Name),
			pulumi.String("CONSOLE_TLS_CERTIFICATE=/run/secrets/console-tls.pem"),
			pulumi.String("CONSOLE_TLS_PRIVATE_KEY=/run/secrets/console-tls.key"), pulumi.String("CONSOLE_MIN_TLS_VERSION=1.2"))
		consoleArgs.Uploads = docker.ContainerUploadArray{
			docker.ContainerUploadArgs{File: pulumi.String("/run/secrets/console-tls.pem"), Content: pulumi.String(dockerCertificate)},
			docker.ContainerUploadArgs{File: pulumi.String("/run/secrets/console-tls.key"), Content: secret("consoleTlsKey"),
				Permissions: pulumi.String("0400")},
		}
		consoleArgs.Ports = docker.ContainerPortArray{docker.ContainerPortArgs{Internal: pulumi.Int(3443), External: pulumi.Int(443)}}
	} else {
		consoleEnv = append(consoleEnv, pulumi.Sprintf("PULUMI_API_INTERNAL_ENDPOINT=http://%s:8080", service.Name))
		consoleArgs.Ports = docker.ContainerPortArray{docker.ContainerPortArgs{Internal: pulumi.Int(3000), External: pulumi.Int(3000)}}
	}
	consoleArgs.Envs = consoleEnv
	if _, err := docker.NewContainer(ctx, "console", consoleArgs); err != nil {
		return err
	}
	if hardened {
		return nil
	}

	// The nginx proxy: its configuration is written to a host file by the
	// installer; only its hash reaches the stack.
	nginxImage, err := image("nginx", "nginx:stable-alpine")
	if err != nil {
		return err
	}
	vol := func(host, in string) docker.ContainerVolumeArgs {
		return docker.ContainerVolumeArgs{HostPath: pulumi.String(dockerDataPath + "/" + host), ContainerPath: pulumi.String(in),
			ReadOnly: pulumi.Bool(true)}
	}
	_, err = docker.NewContainer(ctx, "nginx", &docker.ContainerArgs{
		Name: pulumi.String("pulumi-nginx"), Image: nginxImage.RepoDigest, NetworksAdvanced: networks,
		Envs: pulumi.StringArray{pulumi.String("PULUMI_NGINX_CONFIG_SHA=5f1d0c9a")},
		Ports: docker.ContainerPortArray{docker.ContainerPortArgs{Internal: pulumi.Int(80), External: pulumi.Int(80)},
			docker.ContainerPortArgs{Internal: pulumi.Int(443), External: pulumi.Int(443)}},
		Volumes: docker.ContainerVolumeArray{vol("nginx.conf", "/etc/nginx/conf.d/pulumi-proxy.conf"),
			vol("pulumi-api.pem", "/etc/nginx/pulumi-api.pem"), vol("pulumi-api.key", "/etc/nginx/pulumi-api.key")},
	}, pulumi.DependsOn([]pulumi.Resource{service}))
	return err
}
