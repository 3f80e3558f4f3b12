#!/usr/bin/env bash
# Deploys Picture Gallery to an AWS account: the three steps of
# docs/deploy-aws.md, with the same commands a person would type.
#
#   1. infrastructure  aws cloudformation deploy  (deploy/aws/infrastructure.yaml)
#   2. image           docker build / docker push to the stack's ECR repository
#   3. service         aws cloudformation deploy  (deploy/aws/ecs.yaml)
#
# then prints the load balancer's DNS name. Every step is safe to re-run.
# Run with --help for the options.
set -euo pipefail

readonly PROGRAM=${0##*/}
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_ROOT
readonly INFRA_TEMPLATE=$REPO_ROOT/deploy/aws/infrastructure.yaml
readonly ECS_TEMPLATE=$REPO_ROOT/deploy/aws/ecs.yaml
readonly PROJECT_TAG=picture-gallery

usage() {
  cat <<EOF
Usage: $PROGRAM [options]

Deploys Picture Gallery to AWS in three steps, each safe to re-run:
  1. infrastructure  aws cloudformation deploy of deploy/aws/infrastructure.yaml
                     (VPC, NAT, endpoints, S3 bucket, ECR repository, RDS PostgreSQL)
  2. image           build the container image and push it to the ECR repository,
                     tagged with the commit id (skipped when that tag is already there)
  3. service         aws cloudformation deploy of deploy/aws/ecs.yaml
                     (ECS Fargate service behind an Application Load Balancer)
and prints the load balancer's DNS name (the ECS stack's output ALBDNSName).

Options:
  --region REGION                  AWS region (default: \$AWS_REGION, \$AWS_DEFAULT_REGION,
                                   then 'aws configure get region')
  --infrastructure-stack NAME      infrastructure stack (default: $DEFAULT_INFRA_STACK)
  --ecs-stack NAME                 ECS stack (default: $DEFAULT_ECS_STACK)
  --only STEP                      run one step: infrastructure, image or service
  --image-tag TAG                  image tag (default: \$IMAGE_TAG, else the commit id,
                                   with a -dirty-TIMESTAMP suffix for uncommitted changes)
  --skip-image                     do not build or push; the tag must already be in the
                                   repository (needs --image-tag or \$IMAGE_TAG)
  --admin-email EMAIL              first administrator (ECS parameter AdminEmail); the
                                   password is generated in Secrets Manager
  --certificate-arn ARN            ACM certificate: HTTPS on 443, HTTP redirects to it
  --alarm-email EMAIL              subscribe this address to the alarm topic
  --infrastructure-parameter K=V   any infrastructure.yaml parameter (repeatable), e.g.
                                   NatGateways=per-az, DatabaseInstanceClass=db.t4g.small
  --ecs-parameter K=V              any ecs.yaml parameter (repeatable), e.g.
                                   ContainerCpu=2048, ContainerMemory=4096, MinTasks=3
  --endpoint-url URL               pass --endpoint-url to every aws command (a local AWS
                                   emulator for testing)
  --no-change-set                  create-stack/update-stack instead of 'aws cloudformation
                                   deploy' (see below)
  -h, --help                       show this help

Environment:
  CONTAINER_ENGINE   docker (default) or podman
  IMAGE_PLATFORM     build platform (default: linux/amd64, or linux/arm64 with
                     --ecs-parameter CpuArchitecture=ARM64)
  AWS_PROFILE, AWS_REGION and the other AWS CLI variables are honoured.

About --no-change-set: 'aws cloudformation deploy' works through change sets.
Some local AWS emulators (moto) execute change sets but leave the stack's
Outputs empty and register no Exports, so the ECS stack cannot import the
infrastructure stack there. --no-change-set makes the same deployment with
'aws cloudformation create-stack' / 'update-stack' and the matching waiters.
On AWS both paths give the same stacks.
EOF
}

readonly DEFAULT_INFRA_STACK=picture-gallery-infrastructure
readonly DEFAULT_ECS_STACK=picture-gallery-ecs

log() { printf '%s: %s\n' "$PROGRAM" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROGRAM" "$*" >&2; exit 1; }

# ------------------------------------------------------------------ options
region=""
endpoint_url=""
infra_stack=$DEFAULT_INFRA_STACK
ecs_stack=$DEFAULT_ECS_STACK
only=""
image_tag=${IMAGE_TAG:-}
skip_image=false
use_change_sets=true
infra_params=()
ecs_params=()

need_value() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"; }

while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --region) need_value "$@"; region=$2; shift 2 ;;
    --infrastructure-stack) need_value "$@"; infra_stack=$2; shift 2 ;;
    --ecs-stack) need_value "$@"; ecs_stack=$2; shift 2 ;;
    --only)
      need_value "$@"
      case $2 in infrastructure|image|service) only=$2 ;; *) die "--only takes infrastructure, image or service, not '$2'" ;; esac
      shift 2 ;;
    --image-tag) need_value "$@"; image_tag=$2; shift 2 ;;
    --skip-image) skip_image=true; shift ;;
    --admin-email) need_value "$@"; ecs_params+=("AdminEmail=$2"); shift 2 ;;
    --certificate-arn) need_value "$@"; ecs_params+=("CertificateArn=$2"); shift 2 ;;
    --alarm-email) need_value "$@"; ecs_params+=("AlarmEmail=$2"); shift 2 ;;
    --infrastructure-parameter)
      need_value "$@"; [[ $2 == ?*=* ]] || die "--infrastructure-parameter takes KEY=VALUE, not '$2'"
      infra_params+=("$2"); shift 2 ;;
    --ecs-parameter)
      need_value "$@"; [[ $2 == ?*=* ]] || die "--ecs-parameter takes KEY=VALUE, not '$2'"
      ecs_params+=("$2"); shift 2 ;;
    --endpoint-url) need_value "$@"; endpoint_url=$2; shift 2 ;;
    --no-change-set) use_change_sets=false; shift ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

if $skip_image && [[ -z $image_tag ]]; then
  die "--skip-image needs --image-tag TAG (or IMAGE_TAG) naming an image already in the repository"
fi

run_step() { [[ -z $only || $only == "$1" ]]; }

# ---------------------------------------------------------------- AWS CLI
command -v aws >/dev/null 2>&1 || die "the AWS CLI ('aws') is not installed; see docs/deploy-aws.md"

if [[ -z $region ]]; then
  region=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
fi
if [[ -z $region ]]; then
  region=$(aws configure get region 2>/dev/null || true)
fi
[[ -n $region ]] || die "no AWS region: pass --region, set AWS_REGION, or run 'aws configure set region REGION'"

aws_cmd=(aws --region "$region")
[[ -n $endpoint_url ]] && aws_cmd+=(--endpoint-url "$endpoint_url")
awsc() { "${aws_cmd[@]}" "$@"; }

account=$(awsc sts get-caller-identity --query Account --output text) \
  || die "cannot identify the AWS account (aws sts get-caller-identity failed): configure credentials first"
log "account $account, region $region${endpoint_url:+, endpoint $endpoint_url}"

# ------------------------------------------------------------ stack helpers

# Prints the stack's status, or NONE when it does not exist.
stack_status() {
  local out
  if out=$(awsc cloudformation describe-stacks --stack-name "$1" \
             --query 'Stacks[0].StackStatus' --output text 2>&1); then
    printf '%s\n' "$out"
  elif [[ $out == *"does not exist"* ]]; then
    echo NONE
  else
    die "cannot read stack $1: $out"
  fi
}

# Prints one output of a stack, empty when it has none of that name.
stack_output() {
  local value
  value=$(awsc cloudformation describe-stacks --stack-name "$1" \
            --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue | [0]" --output text)
  [[ $value == None ]] && value=""
  printf '%s\n' "$value"
}

show_failures() {
  log "most recent failures of stack $1:"
  awsc cloudformation describe-stack-events --stack-name "$1" \
    --query "StackEvents[?ends_with(ResourceStatus, 'FAILED')] | [0:10].[Timestamp, LogicalResourceId, ResourceStatus, ResourceStatusReason]" \
    --output text >&2 || true
}

# Leaves the stack in a state a deployment can start from: waits for an
# operation in progress, and removes a stack whose first creation failed
# (ROLLBACK_COMPLETE holds no resources and can only be deleted).
prepare_stack() {
  local name=$1 status waited=0
  status=$(stack_status "$name")
  while [[ $status == *_IN_PROGRESS && $status != REVIEW_IN_PROGRESS ]]; do
    (( waited < 3600 )) || die "stack $name has been $status for an hour; look at it in the console"
    log "stack $name is $status; waiting for it to settle"
    sleep 15
    waited=$(( waited + 15 ))
    status=$(stack_status "$name")
  done
  case $status in
    ROLLBACK_COMPLETE|ROLLBACK_FAILED)
      log "stack $name failed its first creation ($status); deleting it before creating it again"
      show_failures "$name"
      awsc cloudformation delete-stack --stack-name "$name"
      awsc cloudformation wait stack-delete-complete --stack-name "$name"
      ;;
    REVIEW_IN_PROGRESS)
      # A change set that was never executed; 'deploy' continues from it,
      # create-stack cannot.
      if ! $use_change_sets; then
        awsc cloudformation delete-stack --stack-name "$name"
        awsc cloudformation wait stack-delete-complete --stack-name "$name"
      fi
      ;;
    UPDATE_ROLLBACK_FAILED)
      die "stack $name is UPDATE_ROLLBACK_FAILED: fix the cause, then 'aws cloudformation continue-update-rollback --stack-name $name'"
      ;;
    DELETE_FAILED)
      die "stack $name is DELETE_FAILED: finish deleting it (docs/deploy-aws.md, 'Tear down') before deploying again"
      ;;
  esac
}

json_escape() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '%s' "$s"
}

# deploy_stack NAME TEMPLATE [KEY=VALUE...]
deploy_stack() {
  local name=$1 template=$2
  shift 2
  local params=("$@")
  prepare_stack "$name"

  if $use_change_sets; then
    local cmd=(cloudformation deploy --stack-name "$name" --template-file "$template"
               --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset
               --tags "project=$PROJECT_TAG")
    [[ ${#params[@]} -gt 0 ]] && cmd+=(--parameter-overrides "${params[@]}")
    local output rc=0
    output=$(mktemp)
    awsc "${cmd[@]}" 2>&1 | tee "$output" || rc=$?
    if [[ $rc -ne 0 ]]; then
      # AWS reports an unchanged stack through the change set's status, which
      # --no-fail-on-empty-changeset accepts; some emulators refuse the
      # change set itself with the message update-stack uses.
      if grep -q "No updates are to be performed" "$output"; then
        rm -f "$output"
        log "stack $name is up to date"
        return
      fi
      rm -f "$output"
      show_failures "$name"
      die "deploying stack $name failed"
    fi
    rm -f "$output"
    return
  fi

  # create-stack / update-stack. Like 'deploy', parameters not given keep
  # their previous value on an existing stack.
  local status keys previous_keys="" key given p json sep="" out
  status=$(stack_status "$name")
  keys=$(awsc cloudformation get-template-summary --template-body "file://$template" \
           --query 'Parameters[].ParameterKey' --output text)
  keys=${keys//[$'\t\n']/ }
  if [[ $status != NONE ]]; then
    previous_keys=$(awsc cloudformation describe-stacks --stack-name "$name" \
                      --query 'Stacks[0].Parameters[].ParameterKey' --output text)
    previous_keys=${previous_keys//[$'\t\n']/ }
  fi
  json="["
  for key in $keys; do
    given=""
    for p in ${params[@]+"${params[@]}"}; do
      [[ ${p%%=*} == "$key" ]] && given=$p
    done
    if [[ -n $given ]]; then
      json+="$sep{\"ParameterKey\":\"$key\",\"ParameterValue\":\"$(json_escape "${given#*=}")\"}"
      sep=,
    elif [[ " $previous_keys " == *" $key "* ]]; then
      json+="$sep{\"ParameterKey\":\"$key\",\"UsePreviousValue\":true}"
      sep=,
    fi
  done
  json+="]"
  for p in ${params[@]+"${params[@]}"}; do
    [[ " $keys " == *" ${p%%=*} "* ]] || die "stack $name: $template has no parameter ${p%%=*}"
  done

  if [[ $status == NONE ]]; then
    log "creating stack $name"
    awsc cloudformation create-stack --stack-name "$name" --template-body "file://$template" \
      --capabilities CAPABILITY_IAM --tags "Key=project,Value=$PROJECT_TAG" \
      --parameters "$json" >/dev/null
    if ! awsc cloudformation wait stack-create-complete --stack-name "$name"; then
      show_failures "$name"
      die "creating stack $name failed"
    fi
  else
    log "updating stack $name"
    if ! out=$(awsc cloudformation update-stack --stack-name "$name" --template-body "file://$template" \
                 --capabilities CAPABILITY_IAM --tags "Key=project,Value=$PROJECT_TAG" \
                 --parameters "$json" 2>&1); then
      if [[ $out == *"No updates are to be performed"* ]]; then
        log "stack $name is up to date"
        return
      fi
      die "updating stack $name failed: $out"
    fi
    if ! awsc cloudformation wait stack-update-complete --stack-name "$name"; then
      show_failures "$name"
      die "updating stack $name failed"
    fi
  fi
}

# ------------------------------------------------------------- image helpers

default_image_tag() {
  local sha
  if sha=$(git -C "$REPO_ROOT" rev-parse --short=12 HEAD 2>/dev/null); then
    if [[ -n $(git -C "$REPO_ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
      printf '%s-dirty-%s\n' "$sha" "$(date -u +%Y%m%d%H%M%S)"
    else
      printf '%s\n' "$sha"
    fi
  else
    printf 'build-%s\n' "$(date -u +%Y%m%d%H%M%S)"
  fi
}

image_in_repository() {  # REPOSITORY_NAME TAG
  awsc ecr describe-images --repository-name "$1" --image-ids "imageTag=$2" >/dev/null 2>&1
}

ecs_parameter() {  # KEY: the value given with --ecs-parameter, if any
  local p value=""
  for p in ${ecs_params[@]+"${ecs_params[@]}"}; do
    [[ ${p%%=*} == "$1" ]] && value=${p#*=}
  done
  printf '%s\n' "$value"
}

# ------------------------------------------------------------------- steps

if run_step infrastructure; then
  log "step 1/3: infrastructure stack $infra_stack"
  deploy_stack "$infra_stack" "$INFRA_TEMPLATE" ${infra_params[@]+"${infra_params[@]}"}
fi

if run_step image || run_step service; then
  [[ $(stack_status "$infra_stack") == *_COMPLETE ]] \
    || die "stack $infra_stack does not exist or is not ready; run the infrastructure step first"
  repository_uri=$(stack_output "$infra_stack" RepositoryUri)
  [[ -n $repository_uri ]] || die "stack $infra_stack has no RepositoryUri output (with a local emulator, add --no-change-set; see --help)"
  repository_name=${repository_uri#*/}
  registry=${repository_uri%%/*}
  [[ -n $image_tag ]] || image_tag=$(default_image_tag)
  image="$repository_uri:$image_tag"
fi

if run_step image; then
  log "step 2/3: image $image"
  if image_in_repository "$repository_name" "$image_tag"; then
    log "$image is already in ECR (tags are immutable): not building it again"
  elif $skip_image; then
    die "$image is not in the repository; push it first, or drop --skip-image"
  else
    engine=${CONTAINER_ENGINE:-docker}
    command -v "$engine" >/dev/null 2>&1 || die "container engine '$engine' not found (set CONTAINER_ENGINE=podman to use podman)"
    [[ -f $REPO_ROOT/Dockerfile ]] || die "no Dockerfile at the root of the repository"
    platform=${IMAGE_PLATFORM:-}
    if [[ -z $platform ]]; then
      [[ $(ecs_parameter CpuArchitecture) == ARM64 ]] && platform=linux/arm64 || platform=linux/amd64
    fi
    awsc ecr get-login-password | "$engine" login --username AWS --password-stdin "$registry"
    "$engine" build --platform "$platform" --tag "$image" "$REPO_ROOT"
    "$engine" push "$image"
  fi
fi

if run_step service; then
  log "step 3/3: ECS stack $ecs_stack"
  image_in_repository "$repository_name" "$image_tag" \
    || die "$image is not in the repository; run the image step first (or pass the --image-tag of a pushed image)"
  params=("ECRRepositoryUri=$repository_uri" "ImageTag=$image_tag" "InfrastructureStackName=$infra_stack")
  kms_key=$(stack_output "$infra_stack" BucketKmsKeyArn)
  [[ -n $kms_key && -z $(ecs_parameter BucketKmsKeyArn) ]] && params+=("BucketKmsKeyArn=$kms_key")
  deploy_stack "$ecs_stack" "$ECS_TEMPLATE" "${params[@]}" ${ecs_params[@]+"${ecs_params[@]}"}

  dns_name=$(stack_output "$ecs_stack" ALBDNSName)
  [[ -n $dns_name ]] || die "stack $ecs_stack has no ALBDNSName output (with a local emulator, add --no-change-set; see --help)"
  url=$(stack_output "$ecs_stack" ServiceUrl)
  admin_secret=$(stack_output "$ecs_stack" AdminPasswordSecretArn)
  log "deployed $image"
  log "open ${url:-http://$dns_name}"
  if [[ -n $admin_secret ]]; then
    log "administrator password: aws secretsmanager get-secret-value --secret-id $admin_secret --query SecretString --output text"
  fi
  printf 'ALBDNSName=%s\n' "$dns_name"
fi
