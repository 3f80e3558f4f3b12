#!/usr/bin/env bash
# Prints the Picture Gallery manifests for Amazon EKS with the ${GALLERY_*}
# values filled in, ready for 'kubectl apply -f -':
#
#   deploy/eks/render.sh | kubectl apply -f -
#
# Values come from the environment (docs/deploy-aws.md, "Amazon EKS", shows
# how to read them from the infrastructure stack's outputs):
#   GALLERY_IMAGE            image URI with tag, e.g. ACCOUNT.dkr.ecr.REGION.amazonaws.com/my-picture-gallery-repository:TAG
#   GALLERY_IRSA_ROLE_ARN    IAM role for the service account (policy: deploy/eks/iam-policy.json)
#   GALLERY_S3_BUCKET        picture bucket
#   GALLERY_S3_REGION        the bucket's region
#   GALLERY_S3_PREFIX        key prefix (default pictures/)
#   GALLERY_DATABASE_URL     postgres://USER@HOST:PORT/DBNAME, without the password
#   GALLERY_CERTIFICATE_ARN  ACM certificate for the load balancer's HTTPS listener
# With --policy it prints deploy/eks/iam-policy.json filled in instead.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly here
readonly VARIABLES=(GALLERY_IMAGE GALLERY_IRSA_ROLE_ARN GALLERY_S3_BUCKET GALLERY_S3_REGION
                    GALLERY_S3_PREFIX GALLERY_DATABASE_URL GALLERY_CERTIFICATE_ARN)
# The order of kustomization.yaml: namespace first, then what lives in it.
readonly MANIFESTS=(namespace.yaml serviceaccount.yaml configmap.yaml deployment.yaml
                    service.yaml ingress.yaml hpa.yaml pdb.yaml)

die() { printf 'render.sh: error: %s\n' "$*" >&2; exit 1; }

files=("${MANIFESTS[@]}")
needed=("${VARIABLES[@]}")
case ${1:-} in
  "") ;;
  --policy) files=(iam-policy.json); needed=(GALLERY_S3_BUCKET GALLERY_S3_PREFIX) ;;
  -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option '$1' (see --help)" ;;
esac

export GALLERY_S3_PREFIX=${GALLERY_S3_PREFIX-pictures/}

missing=()
for name in "${needed[@]}"; do
  [[ -n ${!name:-} || $name == GALLERY_S3_PREFIX ]] || missing+=("$name")
done
[[ ${#missing[@]} -eq 0 ]] || die "set ${missing[*]} (see the comment at the top of this script)"

case ${GALLERY_DATABASE_URL:-} in
  "") ;;
  postgres://*:*@*|postgresql://*:*@*) die "GALLERY_DATABASE_URL must not contain the password; it goes into the Secret picture-gallery-database" ;;
esac

first=true
for file in "${files[@]}"; do
  content=$(<"$here/$file")
  for name in "${VARIABLES[@]}"; do
    content=${content//"\${$name}"/${!name:-}}
  done
  [[ $content != *"\${"* ]] || die "$file: a \${...} value is left that this script does not know"
  if [[ $file == *.yaml ]]; then
    $first || printf -- '---\n'
    first=false
  fi
  printf '%s\n' "$content"
done
