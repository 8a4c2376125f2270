#!/usr/bin/env python3
"""Turns the Step Functions model the npm package `aws-sdk` (v2) ships
(apis/states-2016-11-23.min.json) into one botocore loads
($AWS_DATA_PATH/stepfunctions/2016-11-23/service-2.json), so that an AWS CLI
older than an operation (Debian's 2.9.19 and ValidateStateMachineDefinition,
TestState, RedriveExecution) can call it.

The minified format writes shapes inline (`"name": {}` is a string,
`"input": {"type": "structure", ...}`); botocore wants every shape named.
Usage: expand_model.py MIN_JSON SERVICE_2_JSON
"""
import json
import sys

# Keys of a member reference that belong to the reference, not to its shape.
REFERENCE_TRAITS = {'locationName', 'idempotencyToken', 'hostLabel', 'jsonvalue', 'queryName'}


def main(source, target):
    with open(source) as f:
        model = json.load(f)
    shapes = model['shapes']
    counter = [0]

    def named(definition):
        """A reference to `definition`, an inline shape, once named."""
        if 'shape' in definition:
            return definition
        reference = {k: v for k, v in definition.items() if k in REFERENCE_TRAITS}
        if isinstance(definition.get('location'), str):
            reference['location'] = definition['location']
        shape = {k: v for k, v in definition.items()
                 if k not in REFERENCE_TRAITS and k != 'location'}
        shape.setdefault('type', 'string')
        expand(shape)
        counter[0] += 1
        name = 'LovelessShape%d' % counter[0]
        shapes[name] = shape
        reference['shape'] = name
        return reference

    def expand(shape):
        for member in ('member', 'key', 'value'):
            if member in shape:
                shape[member] = named(shape[member])
        if 'members' in shape:
            shape['members'] = {name: named(ref) for name, ref in shape['members'].items()}

    for shape in list(shapes.values()):
        expand(shape)
    for name, operation in model['operations'].items():
        operation['name'] = name
        operation.setdefault('http', {'method': 'POST', 'requestUri': '/'})
        for part in ('input', 'output'):
            if part in operation:
                operation[part] = named(operation[part])
    with open(target, 'w') as f:
        json.dump(model, f)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
