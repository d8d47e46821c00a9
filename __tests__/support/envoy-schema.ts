import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import { protoJson } from './proto-json';

// Envoy's own API definitions, as shipped in @grpc/grpc-js-xds (deps/envoy-api, with the xds,
// googleapis and protoc-gen-validate protos it imports), loaded with protobufjs. Neither package
// checks a JSON/YAML document strictly (protobufjs' fromObject drops unknown fields, and the
// vendored protos do not compile under buf's strict compiler), so ./proto-json.ts walks it the
// way Envoy's YAML loader does, every `@type` naming a loaded message.

const DEPS = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
const INCLUDE = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(DEPS, d));
const PROTOBUF_INCLUDE = path.dirname(require.resolve('protobufjs/package.json'));

/** The bootstrap and every extension the signer's bootstrap names in a typed_config. */
const FILES = [
  'envoy/config/bootstrap/v3/bootstrap.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/filters/http/aws_request_signing/v3/aws_request_signing.proto',
  'envoy/config/trace/v3/opentelemetry.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
];

let root: protobuf.Root | undefined;

function envoyApi(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => {
    // protobufjs bundles the common google/protobuf types itself.
    if (target in protobuf.common && !target.endsWith('descriptor.proto')) return target;
    const found = [...INCLUDE, PROTOBUF_INCLUDE].map((d) => path.join(d, target)).find((p) => fs.existsSync(p));
    if (!found) throw new Error(`proto not found: ${target}`);
    return found;
  };
  r.loadSync(FILES, { keepCase: true });
  r.resolveAll();
  return (root = r);
}

// Envoy's YAML loader takes proto3 JSON's alternative forms and packs extensions in Any; its
// messages name enums by their full name.
const { message } = protoJson({ alternativeForms: true, any: { lookup: (url) => envoyApi().lookup(url), api: 'Envoy API' }, enumName: (e) => e.fullName });

/** Every way `document` breaks Envoy's v3 Bootstrap message; empty when Envoy would load it. */
export function bootstrapProblems(document: unknown): string[] {
  return message(envoyApi().lookupType('envoy.config.bootstrap.v3.Bootstrap'), document, 'bootstrap');
}
