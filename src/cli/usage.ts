/** The --help texts. Each command lists its flags and a few examples. */

export const mainUsage = `Usage: image-build <command> [flags]

Builds OCI images from Dockerfiles without a Docker daemon.

Commands:
  build     Build an image from a Dockerfile
  push      Push an image from an OCI layout to registries
  pull      Pull an image into an OCI layout or archive
  version   Print the version

Run 'image-build <command> --help' for a command's flags.
Set IMAGE_BUILD_DEBUG=1 (or pass --debug) for debug logs and stack traces.
`;

export const buildUsage = `Usage: image-build build [CONTEXT] [flags]

Builds the Dockerfile in CONTEXT (default: the current directory). Needs root: as another user with
passwordless sudo, the command re-runs itself under 'sudo -n'. Prints the image digest on stdout.

Flags:
  -f, --file FILE                 Dockerfile (default: CONTEXT/Dockerfile; '-' reads stdin)
  -t, --tag NAME[:TAG]            Name the image; repeatable (used by --output and --push)
      --target STAGE              Build this stage (default: the last one)
      --build-arg KEY[=VALUE]     Set a build argument; KEY alone takes it from the environment
      --secret id=ID,src=FILE     Expose a file to RUN --mount=type=secret,id=ID
      --secret id=ID,env=VAR      ... or an environment variable's value (never printed)
      --platform OS/ARCH          Target platform (default: this machine's)
  -o, --output oci:DIR            Write an OCI image layout (named by each tag, or 'latest')
  -o, --output docker:FILE        Write a docker-archive tar for 'docker load' (with the -t names)
  -o, --output oci-archive:FILE   Write an OCI layout as a tar
      --label KEY=VALUE           Add a label to the image config; repeatable
      --no-cache                  Run every step again
      --pull                      Resolve base image tags at the registry even when stored locally
      --source-date-epoch N|git   Timestamps for a reproducible image (seconds, or HEAD's commit time);
                                  default: $SOURCE_DATE_EPOCH when set
      --compression gzip|zstd     Layer compression (default: gzip)
      --work-dir DIR              Layers, step cache and store kept between builds
                                  (default: $XDG_CACHE_HOME/image-build or ~/.cache/image-build)
      --cache-dir DIR             Cross-run layer cache in DIR (e.g. a CI cache directory): a build with an
                                  empty work dir reuses the layers of earlier builds
      --cache-budget SIZE         Layer bytes the cache keeps per scope (default 2g)
      --cache-mount-budget SIZE   RUN --mount=type=cache bytes it keeps per scope (default 1g)
      --progress auto|plain|tty   Progress display (default: auto = live on a terminal, else plain)
      --push                      Push to every -t reference (credentials from ~/.docker/config.json)
      --insecure-registry HOST    Allow plain HTTP / untrusted TLS for HOST; repeatable
      --iidfile FILE              Write the image ID (config digest) to FILE
      --metadata-file FILE        Write build metadata (digests, names) as JSON to FILE
      --debug                     Debug logs and stack traces
  -h, --help                      Show this help

Examples:
  image-build build . -t hello:dev --output oci:hello-oci
  skopeo inspect oci:hello-oci:dev

  image-build build -f docker/app.Dockerfile --target runtime --build-arg VERSION=1.2.3 \\
    -t ghcr.io/owner/app:1.2.3 --output docker:app.tar

  image-build build . -t registry.example.com/team/app:dev --push \\
    --secret id=npmrc,src=$HOME/.npmrc --source-date-epoch git
`;

export const pushUsage = `Usage: image-build push SOURCE REF... [flags]

Pushes an image from an OCI image layout to each REF. SOURCE is oci:DIR or oci:DIR:NAME (NAME may be
left out when the layout holds one image). Credentials come from ~/.docker/config.json. Prints the digest.

Flags:
      --insecure-registry HOST    Allow plain HTTP / untrusted TLS for HOST; repeatable
      --debug                     Debug logs and stack traces
  -h, --help                      Show this help

Examples:
  image-build push oci:hello-oci:dev registry.example.com/team/hello:dev
  image-build push oci:hello-oci ghcr.io/owner/hello:1 ghcr.io/owner/hello:latest
`;

export const pullUsage = `Usage: image-build pull REF [flags]

Pulls an image (this machine's platform, or --platform) into the work store and writes each --output.
Prints the manifest digest.

Flags:
  -o, --output oci:DIR|docker:FILE|oci-archive:FILE   Where to write the image; repeatable
      --platform OS/ARCH          Which image of a multi-platform index
      --work-dir DIR              Store kept between runs (default: ~/.cache/image-build)
      --insecure-registry HOST    Allow plain HTTP / untrusted TLS for HOST; repeatable
      --debug                     Debug logs and stack traces
  -h, --help                      Show this help

Examples:
  image-build pull registry.example.com/team/hello:dev --output oci:hello-oci
  image-build pull ghcr.io/owner/app:1 --platform linux/arm64 --output docker:app-arm64.tar
`;

export const versionUsage = `Usage: image-build version

Prints the version of image-build and of the Node.js running it.
`;
