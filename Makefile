# The front door. `make run` and `make test` are all a newcomer needs.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps test-deps build run test bench fmt clean container container-test deploy

CONTAINER_ENGINE ?= podman
IMAGE ?= picture-gallery:latest

all: build

# What building and running need (Debian packages, installed when missing).
deps:
	@scripts/install-deps.sh build

# Everything `make test` needs, the container tools included (podman, runc,
# debootstrap: the container test builds and runs the real image).
test-deps:
	@scripts/install-deps.sh build test container

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

# Release build; the binary is $(BUILD_DIR)/gallery.
build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Starts the server on http://127.0.0.1:8080 with pictures and SQLite in ./data;
# the first time, with an admin whose password is in data/admin-password.
run: build
	scripts/run-local.sh $(BUILD_DIR)

# Every test suite (unit, integration, cloud, deployment, container) through CTest.
test: test-deps build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 1

bench: build
	@scripts/install-deps.sh bench
	bench/run.sh $(BUILD_DIR)

fmt:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'bench/*.cpp')

clean:
	rm -rf $(BUILD_DIR)

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
