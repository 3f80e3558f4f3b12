"""Reading CloudFormation templates in tests.

load_template() parses the YAML with a loader that understands the short
intrinsic-function tags (!Ref, !Sub, !GetAtt, ...), turning them into the
long JSON form ({"Ref": ...}, {"Fn::Sub": ...}). resolve() then evaluates the
template's Conditions for given parameter values: resources and outputs whose
condition is false disappear, Fn::If picks its branch, AWS::NoValue vanishes.
Everything else (Ref, Sub, ImportValue, ...) is left as it is, so that tests
can assert on what a reference points at.
"""

import copy
import os
import re

import yaml

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AWS_DIR = os.path.join(REPO_ROOT, "deploy", "aws")
INFRASTRUCTURE = os.path.join(AWS_DIR, "infrastructure.yaml")
ECS = os.path.join(AWS_DIR, "ecs.yaml")


class CfnLoader(yaml.SafeLoader):
    """SafeLoader plus CloudFormation's short-form tags."""


def _construct_tag(loader, tag_suffix, node):
    name = tag_suffix  # e.g. "Ref", "Sub", "GetAtt"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if name == "Ref":
        return {"Ref": value}
    if name == "GetAtt" and isinstance(value, str):
        resource, _, attribute = value.partition(".")
        value = [resource, attribute]
    if name == "Condition":
        return {"Condition": value}
    return {"Fn::" + name: value}


CfnLoader.add_multi_constructor("!", _construct_tag)


def load_template(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=CfnLoader)


_NO_VALUE = object()


class Resolver:
    def __init__(self, template, parameters=None):
        self.template = template
        self.parameters = {}
        for name, spec in (template.get("Parameters") or {}).items():
            if "Default" in spec:
                self.parameters[name] = str(spec["Default"])
        for name, value in (parameters or {}).items():
            if name not in (template.get("Parameters") or {}):
                raise KeyError(f"template has no parameter {name}")
            self.parameters[name] = str(value)
        self.conditions = {}
        for name in template.get("Conditions") or {}:
            self.condition(name)

    def condition(self, name):
        if name not in self.conditions:
            self.conditions[name] = self._evaluate(self.template["Conditions"][name])
        return self.conditions[name]

    def _scalar(self, value):
        if isinstance(value, dict) and "Ref" in value:
            ref = value["Ref"]
            if ref not in self.parameters:
                raise ValueError(f"condition refers to {ref}, which is not a parameter with a value")
            return self.parameters[ref]
        if isinstance(value, (str, int, float, bool)):
            return str(value)
        raise ValueError(f"cannot evaluate {value!r} in a condition")

    def _evaluate(self, expression):
        (function, arguments), = expression.items()
        if function == "Condition":
            return self.condition(arguments)
        if function == "Fn::Equals":
            left, right = arguments
            return self._scalar(left) == self._scalar(right)
        if function == "Fn::Not":
            return not self._evaluate(arguments[0])
        if function == "Fn::And":
            return all(self._evaluate(a) for a in arguments)
        if function == "Fn::Or":
            return any(self._evaluate(a) for a in arguments)
        raise ValueError(f"unsupported condition function {function}")

    def _walk(self, value):
        if isinstance(value, dict):
            if len(value) == 1 and "Fn::If" in value:
                name, when_true, when_false = value["Fn::If"]
                return self._walk(when_true if self.condition(name) else when_false)
            if value == {"Ref": "AWS::NoValue"}:
                return _NO_VALUE
            out = {}
            for key, item in value.items():
                item = self._walk(item)
                if item is not _NO_VALUE:
                    out[key] = item
            return out
        if isinstance(value, list):
            return [item for item in (self._walk(v) for v in value) if item is not _NO_VALUE]
        return value

    def resolve(self):
        template = copy.deepcopy(self.template)
        for section in ("Resources", "Outputs"):
            kept = {}
            for name, body in (template.get(section) or {}).items():
                if "Condition" in body and not self.condition(body["Condition"]):
                    continue
                kept[name] = self._walk(body)
            template[section] = kept
        return template


def resolve(template, parameters=None):
    return Resolver(template, parameters).resolve()


def resources_of_type(template, resource_type):
    return {name: body for name, body in template["Resources"].items() if body["Type"] == resource_type}


def as_list(value):
    return value if isinstance(value, list) else [value]


def find_all(value, key):
    """Every value stored under `key` anywhere in a nested structure."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key:
                found.append(v)
            found.extend(find_all(v, key))
    elif isinstance(value, list):
        for v in value:
            found.extend(find_all(v, key))
    return found


def import_name(value):
    """The export name of {"Fn::ImportValue": {"Fn::Sub": "${InfrastructureStackName}-X"}} -> "X"."""
    if not (isinstance(value, dict) and "Fn::ImportValue" in value):
        return None
    inner = value["Fn::ImportValue"]
    if isinstance(inner, dict) and "Fn::Sub" in inner and isinstance(inner["Fn::Sub"], str):
        match = re.fullmatch(r"\$\{InfrastructureStackName\}-(\w+)", inner["Fn::Sub"])
        if match:
            return match.group(1)
    raise AssertionError(f"unexpected ImportValue form: {value!r}")


def substitute_placeholders(text):
    """Replaces every ${...} of an Fn::Sub string with a sample value."""
    return re.sub(r"\$\{[^}!][^}]*\}", "sample", text)
