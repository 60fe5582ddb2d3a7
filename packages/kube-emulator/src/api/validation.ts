/*
 * Copyright 2026 The Archipelago Authors
 * SPDX-License-Identifier: Apache-2.0
 */

import { jsonEqual } from '../util';
import { ResourceDef } from './resources';
import { FieldError } from './status';
import { KubeObject } from '../store/store';
import { fromSelectorObject, matchesLabels } from '../store/selectors';
import { Obj, isObject } from './decoding';

const SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export function nameErrors(
  name: unknown,
  rule: 'subdomain' | 'label',
  field = 'metadata.name',
): FieldError[] {
  if (typeof name !== 'string') return [];
  if (rule === 'label') {
    if (!LABEL.test(name) || name.length > 63) {
      return [
        { field, type: 'FieldValueInvalid', value: name, detail: LABEL_MSG },
      ];
    }
  } else if (!SUBDOMAIN.test(name) || name.length > 253) {
    return [
      { field, type: 'FieldValueInvalid', value: name, detail: SUBDOMAIN_MSG },
    ];
  }
  return [];
}

function labelErrors(labels: unknown, field: string): FieldError[] {
  if (!isObject(labels)) return [];
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const [prefix, name] = k.includes('/') ? k.split('/', 2) : [undefined, k];
    if (
      (prefix !== undefined && !SUBDOMAIN.test(prefix)) ||
      !QUALIFIED_NAME.test(name) ||
      name.length > 63
    ) {
      errors.push({
        field,
        type: 'FieldValueInvalid',
        value: k,
        detail:
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      });
    }
    if (typeof v !== 'string' || !LABEL_VALUE.test(v) || v.length > 63) {
      errors.push({
        field,
        type: 'FieldValueInvalid',
        value: v,
        detail:
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      });
    }
  }
  return errors;
}

function containersErrors(podSpec: unknown, field: string): FieldError[] {
  if (!isObject(podSpec))
    return [{ field, type: 'FieldValueRequired', detail: '' }];
  const errors: FieldError[] = [];
  const containers = podSpec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    errors.push({
      field: `${field}.containers`,
      type: 'FieldValueRequired',
      detail: '',
    });
    return errors;
  }
  const names = new Set<string>();
  containers.forEach((c: unknown, i: number) => {
    const f = `${field}.containers[${i}]`;
    if (!isObject(c)) return;
    if (!c.name)
      errors.push({
        field: `${f}.name`,
        type: 'FieldValueRequired',
        detail: '',
      });
    else {
      errors.push(...nameErrors(c.name, 'label', `${f}.name`));
      if (names.has(c.name)) {
        errors.push({
          field: `${f}.name`,
          type: 'FieldValueDuplicate',
          value: c.name,
          detail: '',
        });
      }
      names.add(c.name);
    }
    if (!c.image)
      errors.push({
        field: `${f}.image`,
        type: 'FieldValueRequired',
        detail: '',
      });
    if (Array.isArray(c.ports)) {
      c.ports.forEach((p: any, j: number) => {
        const port = p?.containerPort;
        if (typeof port !== 'number' || port < 1 || port > 65535) {
          errors.push({
            field: `${f}.ports[${j}].containerPort`,
            type:
              port === undefined ? 'FieldValueRequired' : 'FieldValueInvalid',
            value: port,
            detail:
              port === undefined
                ? ''
                : 'must be between 1 and 65535, inclusive',
          });
        }
      });
    }
  });
  return errors;
}

function workloadErrors(
  obj: Obj,
  old: Obj | undefined,
  kind: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj.spec;
  if (!isObject(spec))
    return [{ field: 'spec', type: 'FieldValueRequired', detail: '' }];
  if (
    spec.replicas !== undefined &&
    (typeof spec.replicas !== 'number' || spec.replicas < 0)
  ) {
    errors.push({
      field: 'spec.replicas',
      type: 'FieldValueInvalid',
      value: spec.replicas,
      detail: 'must be greater than or equal to 0',
    });
  }
  const selector = spec.selector;
  if (!isObject(selector)) {
    errors.push({
      field: 'spec.selector',
      type: 'FieldValueRequired',
      detail: '',
    });
  } else {
    const reqs = fromSelectorObject(selector);
    if (!reqs.length) {
      errors.push({
        field: 'spec.selector',
        type: 'FieldValueInvalid',
        value: selector,
        detail: 'empty selector is invalid for deployment',
      });
    } else if (!matchesLabels(reqs, spec.template?.metadata?.labels)) {
      errors.push({
        field: 'spec.template.metadata.labels',
        type: 'FieldValueInvalid',
        value: spec.template?.metadata?.labels ?? {},
        detail: '`selector` does not match template `labels`',
      });
    }
    if (old && old.spec && !jsonEqual(old.spec.selector, selector)) {
      errors.push({
        field: 'spec.selector',
        type: 'FieldValueInvalid',
        value: selector,
        detail: 'field is immutable',
      });
    }
  }
  errors.push(
    ...labelErrors(
      spec.template?.metadata?.labels,
      'spec.template.metadata.labels',
    ),
  );
  errors.push(...containersErrors(spec.template?.spec, 'spec.template.spec'));
  if (
    kind === 'StatefulSet' &&
    old &&
    old.spec?.serviceName !== spec.serviceName
  ) {
    errors.push({
      field: 'spec',
      type: 'FieldValueForbidden',
      detail:
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    });
  }
  return errors;
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function serviceErrors(obj: Obj, old: Obj | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const spec = isObject(obj.spec) ? obj.spec : {};
  const type = spec.type ?? 'ClusterIP';
  if (!SERVICE_TYPES.includes(type)) {
    errors.push({
      field: 'spec.type',
      type: 'FieldValueNotSupported',
      value: type,
      detail: `supported values: ${SERVICE_TYPES.map(t => `"${t}"`).join(
        ', ',
      )}`,
    });
  }
  const headless = spec.clusterIP === 'None';
  if (
    type !== 'ExternalName' &&
    !headless &&
    (!Array.isArray(spec.ports) || !spec.ports.length)
  ) {
    errors.push({
      field: 'spec.ports',
      type: 'FieldValueRequired',
      detail: '',
    });
  }
  if (type === 'ExternalName' && !spec.externalName) {
    errors.push({
      field: 'spec.externalName',
      type: 'FieldValueRequired',
      detail: '',
    });
  }
  (Array.isArray(spec.ports) ? spec.ports : []).forEach((p: any, i: number) => {
    if (typeof p?.port !== 'number' || p.port < 1 || p.port > 65535) {
      errors.push({
        field: `spec.ports[${i}].port`,
        type:
          p?.port === undefined ? 'FieldValueRequired' : 'FieldValueInvalid',
        value: p?.port,
        detail:
          p?.port === undefined ? '' : 'must be between 1 and 65535, inclusive',
      });
    }
    if (spec.ports.length > 1 && !p?.name) {
      errors.push({
        field: `spec.ports[${i}].name`,
        type: 'FieldValueRequired',
        detail: '',
      });
    }
  });
  if (
    old?.spec?.clusterIP &&
    spec.clusterIP &&
    old.spec.clusterIP !== spec.clusterIP
  ) {
    errors.push({
      field: 'spec.clusterIPs[0]',
      type: 'FieldValueInvalid',
      value: [spec.clusterIP],
      detail: 'may not change once set',
    });
  }
  return errors;
}

function dataKeyErrors(obj: Obj): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['data', 'binaryData', 'stringData']) {
    if (!isObject(obj[field])) continue;
    for (const k of Object.keys(obj[field])) {
      if (!CONFIG_KEY.test(k) || k.length > 253) {
        errors.push({
          field: `${field}[${k}]`,
          type: 'FieldValueInvalid',
          value: k,
          detail:
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        });
      }
    }
  }
  return errors;
}

/**
 * The validation the API server's registry strategies do for these types, for the rules clients
 * trip over most: names, labels, required fields, selectors matching templates, immutable fields.
 */
export function validateObject(
  def: ResourceDef,
  obj: KubeObject,
  old?: KubeObject,
): FieldError[] {
  const errors: FieldError[] = [];
  const meta = obj.metadata ?? {};
  if (!meta.name && !meta.generateName) {
    errors.push({
      field: 'metadata.name',
      type: 'FieldValueRequired',
      detail: 'name or generateName is required',
    });
  } else if (meta.name) {
    errors.push(...nameErrors(meta.name, def.nameRule));
  }
  errors.push(...labelErrors(meta.labels, 'metadata.labels'));
  switch (def.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      errors.push(...workloadErrors(obj, old, def.kind));
      break;
    case 'Pod':
      errors.push(...containersErrors(obj.spec, 'spec'));
      break;
    case 'Job': {
      errors.push(
        ...containersErrors(obj.spec?.template?.spec, 'spec.template.spec'),
      );
      const rp = obj.spec?.template?.spec?.restartPolicy;
      if (rp !== 'Never' && rp !== 'OnFailure') {
        errors.push({
          field: 'spec.template.spec.restartPolicy',
          type:
            rp === undefined ? 'FieldValueRequired' : 'FieldValueNotSupported',
          value: rp,
          detail:
            rp === undefined
              ? 'valid values: "OnFailure", "Never"'
              : 'supported values: "OnFailure", "Never"',
        });
      }
      break;
    }
    case 'CronJob':
      if (!obj.spec?.schedule) {
        errors.push({
          field: 'spec.schedule',
          type: 'FieldValueRequired',
          detail: '',
        });
      }
      errors.push(
        ...containersErrors(
          obj.spec?.jobTemplate?.spec?.template?.spec,
          'spec.jobTemplate.spec.template.spec',
        ),
      );
      break;
    case 'Service':
      errors.push(...serviceErrors(obj, old));
      break;
    case 'ConfigMap':
    case 'Secret':
      errors.push(...dataKeyErrors(obj));
      break;
    case 'HorizontalPodAutoscaler':
      if (!obj.spec?.scaleTargetRef?.name) {
        errors.push({
          field: 'spec.scaleTargetRef.name',
          type: 'FieldValueRequired',
          detail: '',
        });
      }
      if (
        typeof obj.spec?.maxReplicas !== 'number' ||
        obj.spec.maxReplicas < 1
      ) {
        errors.push({
          field: 'spec.maxReplicas',
          type: 'FieldValueInvalid',
          value: obj.spec?.maxReplicas ?? 0,
          detail: 'must be greater than or equal to 1',
        });
      }
      break;
    default:
      break;
  }
  return errors;
}
