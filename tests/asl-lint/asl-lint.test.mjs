// Lints the project's state machines with two independent ASL checkers, asl-validator (JSON schema + path syntax)
// and @wmfs/statelint (the awslabs/statelint rules), after replacing each ${...} placeholder with the kind of value
// SAM's DefinitionSubstitutions would put there. A placeholder this file does not know fails the test, so a new
// substitution has to be given a plausible value here too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator');
const statelint = require('@wmfs/statelint')();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const account = '123456789012';
const region = 'us-east-1';

const functions = [
  'ValidateProvisionRequest', 'ValidateTeardownRequest', 'CreatePrimaryCluster', 'CreatePeerCluster', 'LinkClusters',
  'DescribeCluster', 'SetDeletionProtection', 'DeleteCluster', 'ConfirmClusterGone', 'FindExecutionClusters',
  'ValidateUpdateRequest', 'UpdateClusterTags',
];
const substitutions = Object.fromEntries([
  ...functions.map((f) => [`${f}FunctionArn`, `arn:aws:lambda:${region}:${account}:function:workflows-${f}Function-AbC123dEf456`]),
  ['EventBusName', 'workflows'],
]);

function substituted(file) {
  const text = readFileSync(path.join(root, 'statemachines', file), 'utf8');
  const unknown = new Set();
  const json = text.replace(/\$\{([^}]+)\}/g, (match, name) => {
    if (!(name in substitutions)) unknown.add(name);
    return substitutions[name] ?? match;
  });
  assert.deepEqual([...unknown], [], `${file} has placeholders this test has no value for`);
  return JSON.parse(json);
}

// Every state machine in statemachines/, so a new one is linted without touching this file.
const machines = readdirSync(path.join(root, 'statemachines')).filter((f) => f.endsWith('.asl.json')).sort();

test('the lint covers the three state machines at least', () => {
  for (const expected of ['provision.asl.json', 'teardown.asl.json', 'update.asl.json']) {
    assert.ok(machines.includes(expected), `${expected} is linted`);
  }
});

for (const file of machines) {
  test(`${file} passes asl-validator`, () => {
    const { isValid, errorsText } = aslValidator(substituted(file));
    assert.ok(isValid, errorsText('\n'));
  });

  test(`${file} passes @wmfs/statelint`, () => {
    const problems = statelint.validate(substituted(file));
    assert.deepEqual(problems, []);
  });
}

// Both checkers must be able to fail, or the tests above prove nothing.
test('both checkers reject a Task whose Next names no state', () => {
  const broken = substituted('teardown.asl.json');
  broken.States['Delete the peer cluster'].Next = 'No such state';
  assert.equal(aslValidator(broken).isValid, false);
  assert.ok(statelint.validate(broken).some((p) => p.includes('No such state')));
});
