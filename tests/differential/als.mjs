// Runs one ASL definition in aws-local-stepfunctions with the corpus' scripted task results, no waiting,
// and reports the outcome in the shape `workflows run --json` prints.
import './polyfill.mjs';

const { StateMachine, ExecutionError } = await import('aws-local-stepfunctions');

// Every state of the definition, branches and Map processors included: overrides are keyed by bare state
// name, and a Retry or Wait anywhere would otherwise sleep in wall time.
function* allStates(definition) {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    yield [name, state];
    for (const branch of state.Branches ?? []) yield* allStates(branch);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) yield* allStates(processor);
  }
}

// The library reports a thrown JS error with Error = error.name and Cause = error.message, which is how a
// scripted {"throw": {"error", "cause"}} attempt is made to look like a Lambda failure.
function scriptedTask(stateName, attempts) {
  let next = 0;
  return async () => {
    const index = next++;
    const attempt = attempts[index];
    if (attempt === undefined) {
      const error = new Error(`no scripted result for attempt ${index} of ${stateName}`);
      error.name = 'Differential.NoScriptedAttempt';
      throw error;
    }
    if ('throw' in attempt) {
      const error = new Error(attempt.throw.cause ?? '');
      error.name = attempt.throw.error;
      throw error;
    }
    return structuredClone(attempt.return);
  };
}

export function overridesFor(definition, tasks = {}) {
  const waitTimeOverrides = {};
  const retryIntervalOverrides = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
    if (state.Retry) retryIntervalOverrides[name] = 0;
  }
  const taskResourceLocalHandlers = {};
  for (const [name, attempts] of Object.entries(tasks)) {
    taskResourceLocalHandlers[name] = scriptedTask(name, attempts);
  }
  return { waitTimeOverrides, retryIntervalOverrides, taskResourceLocalHandlers };
}

export async function runInAls(definition, input, tasks) {
  let machine;
  try {
    machine = new StateMachine(definition);
  } catch (error) {
    return { status: 'INVALID', error: 'InvalidDefinition', cause: error.message };
  }
  try {
    const output = await machine.run(input, { overrides: overridesFor(definition, tasks) }).result;
    return { status: 'SUCCEEDED', output: output ?? null };
  } catch (error) {
    const failure = error instanceof ExecutionError ? error.cause : error;
    return { status: 'FAILED', error: failure?.name ?? null, cause: failure?.message ?? null };
  }
}
