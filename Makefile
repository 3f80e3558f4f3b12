# The front door. `make run` and `make test` are all a newcomer needs.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps test-deps build web run test bench fmt clean container container-test deploy screenshots

CONTAINER_ENGINE ?= podman
IMAGE ?= picture-gallery:latest

all: build

# What building and running need (Debian packages, installed when missing).
deps:
	@scripts/install-deps.sh build

# Everything `make test` needs, the container tools included (podman, runc,
# debootstrap: the container test builds and runs the real image) and
# Chromium for the browser tests.
test-deps:
	@scripts/install-deps.sh build test browser container

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

# Release build; the binary is $(BUILD_DIR)/gallery, the web UI web/dist.
build: deps $(BUILD_DIR)/CMakeCache.txt web
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The web UI (web/, TypeScript + Vite) into web/dist, which the server reads
# at start (GALLERY_WEB_DIR). npm ci runs only when the lockfile changed;
# the build only when a source did.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html \
	web/vite.config.ts web/tsconfig.json web/scripts/compress.mjs
web: deps web/dist/index.html

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

# Starts the server on http://127.0.0.1:8080 with pictures and SQLite in ./data;
# the first time, with an admin whose password is in data/admin-password.
run: build
	scripts/run-local.sh $(BUILD_DIR)

# Every test suite (unit, integration, browser, cloud, deployment, container)
# through CTest. The browser tests leave screenshots in $(BUILD_DIR)/screenshots.
test: test-deps build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 1

# Copies the browser tests' latest screenshots to docs/screenshots (README).
screenshots:
	@ls $(BUILD_DIR)/screenshots/*.jpg >/dev/null 2>&1 || { echo "no screenshots: run make test (or ctest -R browser_ui) first" >&2; exit 1; }
	cp $(BUILD_DIR)/screenshots/*.jpg docs/screenshots/

bench: build
	@scripts/install-deps.sh bench
	bench/run.sh $(BUILD_DIR)

fmt:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'bench/*.cpp')

clean:
	rm -rf $(BUILD_DIR) web/dist

# The container image (docs/container.md). Without a registry to pull from,
# the Debian base images are made locally with debootstrap when missing.
container:
	@scripts/install-deps.sh container
	CONTAINER_ENGINE=$(CONTAINER_ENGINE) scripts/container-build.sh $(IMAGE)

# Builds the image and checks it end to end (also part of `make test`).
container-test:
	@scripts/install-deps.sh container test
	scripts/container-test.sh

# Deploys to the AWS account of the current credentials (docs/deploy-aws.md).
deploy:
	scripts/deploy-aws.sh $(DEPLOY_ARGS)
