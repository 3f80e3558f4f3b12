# Picture Gallery server image (docs/container.md).
#
#   docker build -t picture-gallery .
#   podman build --format docker -t picture-gallery .   # docker format keeps HEALTHCHECK
#
# Stages: `toolchain` holds Debian's build packages (Node and npm among
# them); `web` builds the browser UI from web/ and `build` compiles the
# server, each from it and independently (a C++ change does not rebuild the
# UI, nor the reverse); the runtime image is debian:bookworm-slim with only
# the libraries the binary loads and the built UI, runs as uid/gid 10001 and
# works with a read-only root filesystem (it writes to /var/lib/gallery and
# /tmp only).

############################################################################
# Toolchain stage
############################################################################
FROM debian:bookworm AS toolchain

WORKDIR /src

# Build packages first, in a layer of their own: it is only rebuilt when the
# package list changes, not when the sources do. Plus ccache (below).
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh build \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ccache \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*

############################################################################
# Web UI stage: web/ (TypeScript, Vite) built to static files in /out/web
############################################################################
FROM toolchain AS web

WORKDIR /src/web
# The packages from the lockfile first (a layer kept until the lockfile
# changes; npm's download cache outlives builds), then the sources. Debian's
# npm 9 misreads the lockfile's package overrides, so npm 10 (the newest for
# Debian's Node 18) installs them. Behind a TLS-inspecting proxy the
# registry's certificates chain to the build machine's own authority:
# scripts/container-build.sh passes that machine's CA bundle as the optional
# build secret "ca-certificates".
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,id=picture-gallery-npm,target=/root/.npm \
    --mount=type=secret,id=ca-certificates,required=false \
    set -eu; \
    if [ -s /run/secrets/ca-certificates ]; then \
      export NPM_CONFIG_CAFILE=/run/secrets/ca-certificates; \
    fi; \
    npm install --global --no-audit --no-fund npm@10.9.9; \
    /usr/local/bin/npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build \
 && mkdir -p /out \
 && cp -r dist /out/web

############################################################################
# Build stage
############################################################################
FROM toolchain AS build

# Only what configuring and compiling the server reads: the top-level project
# adds src/, tests/ and bench/, and embeds the SQL migrations from schemas/.
COPY CMakeLists.txt ./
COPY schemas/ schemas/
COPY bench/ bench/
COPY tests/ tests/
COPY src/ src/

# Compiled through ccache, whose cache is a cache mount that outlives the
# build (BuildKit, podman): after a source change only the files whose
# preprocessed text changed are compiled again. The binary goes to /out.
ENV CCACHE_DIR=/root/.cache/ccache \
    CCACHE_MAXSIZE=2G
RUN --mount=type=cache,id=picture-gallery-ccache,target=/root/.cache/ccache \
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
 && cmake --build build --target gallery -j"$(nproc)" \
 && mkdir -p /out \
 && cp build/gallery /out/gallery \
 && rm -rf build \
 && ccache --show-stats

# The Debian packages that ship the libraries the binary links (its NEEDED
# entries, as `ldd build/gallery` resolves them): the runtime stage installs
# exactly these, so a library added to the build reaches the image by itself.
RUN set -eu; \
    multiarch="$(gcc -print-multiarch)"; \
    for lib in $(objdump -p /out/gallery | awk '$1 == "NEEDED" {print $2}'); do \
      owner="$(dpkg -S "*/$multiarch/$lib")" || { echo "no package ships $lib" >&2; exit 1; }; \
      echo "${owner%%[:,]*}" >> /out/runtime-packages.unsorted; \
    done; \
    sort -u /out/runtime-packages.unsorted > /out/runtime-packages; \
    test -s /out/runtime-packages; \
    echo "runtime packages:" $(cat /out/runtime-packages)

############################################################################
# Runtime stage
############################################################################
FROM debian:bookworm-slim

# The user the deployments run as (ECS task definition, EKS pod), and its two
# writable places, owned by it: Fargate's task-local mounts take the owner
# and mode of the image's directory.
RUN set -eux; \
    groupadd --system --gid 10001 gallery; \
    useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/gallery \
      --no-create-home --shell /usr/sbin/nologin gallery; \
    install -d -o 10001 -g 10001 -m 0750 /var/lib/gallery; \
    chown 10001:10001 /tmp; \
    chmod 1777 /tmp

# The runtime libraries: the packages of the libraries the binary links
# (/out/runtime-packages, from the build stage; today libvips42, libsqlite3-0,
# libpq5, libcurl4, libssl3, libexif12, libjemalloc2, libglib2.0-0 and the C
# and C++ runtimes) with their dependencies - libheif1 with libde265, libx265,
# libaom and libdav1d for HEIC and AVIF - and ca-certificates for TLS to S3
# and PostgreSQL. No recommended packages, no apt lists.
#
# Debian's libvips42 also depends on ImageMagick, Poppler, OpenSlide and
# JPEG XL for its loader modules of those formats. The server blocks every
# loader except JPEG, PNG, WebP, GIF, HEIF/AVIF and TIFF (src/image/library.cpp),
# so the package is repacked without those four modules and their
# dependencies: about 20 MB less, and far less code for image scanners to flag.
ARG VIPS_UNUSED_MODULES="magick poppler openslide jxl"
ARG VIPS_UNUSED_DEPENDS="libmagickcore-6.q16-6 libpoppler-glib8 libopenslide0 libjxl0.7"
COPY --from=build /out/runtime-packages /usr/local/share/gallery/runtime-packages
RUN set -eux; \
    export DEBIAN_FRONTEND=noninteractive; \
    apt-get update; \
    work="$(mktemp -d)"; \
    chmod 755 "$work"; \
    cd "$work"; \
    packages="ca-certificates"; \
    for p in $(cat /usr/local/share/gallery/runtime-packages); do \
      if [ "$p" != libvips42 ]; then packages="$packages $p"; continue; fi; \
      apt-get download libvips42; \
      dpkg-deb -R libvips42_*.deb pkg; \
      for m in $VIPS_UNUSED_MODULES; do \
        rm pkg/usr/lib/*/vips-modules-*/"vips-$m.so"; \
      done; \
      for d in $VIPS_UNUSED_DEPENDS; do \
        sed -i -E "/^Depends:/ s/, $d( \([^)]*\))?//" pkg/DEBIAN/control; \
        if grep -q "^Depends:.*$d" pkg/DEBIAN/control; then echo "libvips42 still depends on $d" >&2; exit 1; fi; \
      done; \
      sed -i -E '/^Version:/ s/$/+gallery1/' pkg/DEBIAN/control; \
      (cd pkg && find usr -type f -exec md5sum {} + > DEBIAN/md5sums); \
      dpkg-deb --build --root-owner-group pkg libvips42-gallery.deb; \
      packages="$packages ./libvips42-gallery.deb"; \
    done; \
    apt-get install -y --no-install-recommends $packages; \
    cd /; \
    rm -rf "$work"; \
    apt-get clean; \
    rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log /var/cache/debconf/*-old

COPY --from=build /out/gallery /usr/local/bin/gallery
# The web UI, served by the binary from memory (GALLERY_WEB_DIR).
COPY --from=web /out/web /usr/local/share/gallery/web

# Fail the build, rather than the first start, when a library is missing.
RUN if ldd /usr/local/bin/gallery | grep 'not found'; then exit 1; fi; \
    gallery --version

ENV GALLERY_LISTEN=0.0.0.0:8080 \
    GALLERY_DATA_DIR=/var/lib/gallery \
    GALLERY_WEB_DIR=/usr/local/share/gallery/web \
    TMPDIR=/tmp

VOLUME ["/var/lib/gallery", "/tmp"]
USER 10001:10001
WORKDIR /var/lib/gallery
EXPOSE 8080
# The server finishes in-flight requests within GALLERY_SHUTDOWN_GRACE.
STOPSIGNAL SIGTERM
# GET /healthz on GALLERY_LISTEN; the deployments run the same command.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["gallery", "healthcheck"]
ENTRYPOINT ["gallery"]
CMD ["serve"]

ARG VERSION=""
ARG REVISION=""
ARG CREATED=""
LABEL org.opencontainers.image.title="Picture Gallery" \
      org.opencontainers.image.description="Self-hostable picture gallery server: pictures on local disk or S3, metadata in SQLite or PostgreSQL" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="docker.io/library/debian:bookworm-slim"
