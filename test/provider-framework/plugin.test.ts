import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  KeyUsage,
  KeyUsageFlags,
  Name,
  SubjectAlternativeName,
  Version,
} from '@peculiar/asn1-x509';
import { encodeMsgpack, types } from '../../provider/cty';
import { attr, defineProvider, defineResource, ProviderServer } from '../../provider/framework';
import { createServerCertificate } from '../../provider/plugin/auto-mtls';
import {
  checkPluginEnvironment,
  handshakeLine,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  NOT_A_PLUGIN_MESSAGE,
} from '../../provider/plugin/handshake';
import * as protoLoader from '@grpc/proto-loader';
import { compileDescriptorJson } from '../../provider/packaging/build';
import { LOADER_OPTIONS, loadPluginServices } from '../../provider/plugin/protocol';
import { MAX_MESSAGE_BYTES, servePlugin } from '../../provider/plugin/serve';

describe('handshake environment', () => {
  const base = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: 'PEM' };

  test('refuses to run without the magic cookie', () => {
    expect(checkPluginEnvironment({})).toEqual({ ok: false, message: NOT_A_PLUGIN_MESSAGE });
    expect(checkPluginEnvironment({ ...base, [MAGIC_COOKIE_KEY]: 'wrong' })).toEqual({ ok: false, message: NOT_A_PLUGIN_MESSAGE });
    expect(NOT_A_PLUGIN_MESSAGE).toMatch(/This binary is a plugin/);
  });

  test('needs protocol 6 among the offered versions, in any order', () => {
    expect(checkPluginEnvironment({ ...base, PLUGIN_PROTOCOL_VERSIONS: '6,5' }).ok).toBe(true);
    expect(checkPluginEnvironment({ ...base, PLUGIN_PROTOCOL_VERSIONS: '6' }).ok).toBe(true);
    const old = checkPluginEnvironment({ ...base, PLUGIN_PROTOCOL_VERSIONS: '4,5' });
    expect(old).toEqual({ ok: false, message: expect.stringMatching(/Plugin version: 6, Client versions: 4, 5/) });
  });

  test('needs the client certificate unless TLS is disabled', () => {
    expect(checkPluginEnvironment({ ...base, PLUGIN_CLIENT_CERT: '' }).ok).toBe(false);
    expect(checkPluginEnvironment({ ...base, PLUGIN_CLIENT_CERT: '', TF_DISABLE_PLUGIN_TLS: '1' })).toEqual({ ok: true, env: { tlsDisabled: true, clientCertPem: undefined } });
    expect(checkPluginEnvironment(base)).toEqual({ ok: true, env: { tlsDisabled: false, clientCertPem: 'PEM' } });
  });

  test('handshake line carries the certificate as unpadded base64', () => {
    const der = Buffer.from([1, 2, 3, 4]); // base64 "AQIDBA=="
    expect(handshakeLine('unix', '/tmp/x/plugin.sock', der)).toBe('1|6|unix|/tmp/x/plugin.sock|grpc|AQIDBA');
    expect(handshakeLine('unix', '/tmp/x/plugin.sock')).toBe('1|6|unix|/tmp/x/plugin.sock|grpc');
  });
});

describe('protocol descriptors', () => {
  test('the JSON descriptor embedded in bundles serves the same protocol as the .proto files', () => {
    const fromSource = loadPluginServices();
    const compiled = protoLoader.fromJSON(JSON.parse(compileDescriptorJson()), LOADER_OPTIONS);
    const provider = compiled['tfplugin6.Provider'] as typeof fromSource.provider;
    expect(Object.keys(provider).sort()).toEqual(Object.keys(fromSource.provider).sort());
    expect(Object.keys(provider)).toEqual(expect.arrayContaining(['GetProviderSchema', 'PlanResourceChange', 'ApplyResourceChange', 'StopProvider']));
    expect(provider.PlanResourceChange.path).toBe('/tfplugin6.Provider/PlanResourceChange');
    expect((compiled['plugin.GRPCController'] as typeof fromSource.controller).Shutdown.path).toBe('/plugin.GRPCController/Shutdown');
    const response = {
      planned_state: { msgpack: Buffer.from([0xc0]) },
      requires_replace: [{ steps: [{ attribute_name: 'region' }, { element_key_int: 2 }] }],
      diagnostics: [{ severity: 'WARNING', summary: 's', detail: 'd' }],
    };
    const bytes = provider.PlanResourceChange.responseSerialize(response);
    expect(bytes.equals(fromSource.provider.PlanResourceChange.responseSerialize(response))).toBe(true);
    // Field numbers are the protocol's: planned_state = 1 (0x0a), requires_replace = 2 (0x12), diagnostics = 4 (0x22).
    expect(bytes.toString('hex')).toBe('0a030a01c0' + '120e' + '0a080a06726567696f6e' + '0a021802' + '2208' + '0802' + '120173' + '1a0164');
    // Map fields (resource_schemas = 2) and bytes (Attribute.type = 2) as well.
    const schema = {
      resource_schemas: { x_thing: { version: 1, block: { attributes: [{ name: 'id', type: Buffer.from('"string"'), computed: true }] } } },
    };
    const schemaBytes = provider.GetProviderSchema.responseSerialize(schema);
    expect(schemaBytes.equals(fromSource.provider.GetProviderSchema.responseSerialize(schema))).toBe(true);
    expect(provider.GetProviderSchema.responseDeserialize(schemaBytes)).toEqual(schema);
  });
});

describe('AutoMTLS server certificate', () => {
  test('is a self-signed ECDSA P-256 certificate for localhost with serverAuth', () => {
    const cert = createServerCertificate(new Date('2030-01-01T00:00:00Z'));
    const x = new X509Certificate(cert.certDer);
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.subjectAltName).toBe('DNS:localhost');
    expect(x.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(x.ca).toBe(true);
    expect(new Date(x.validFrom).getTime()).toBeLessThan(new Date('2030-01-01T00:00:00Z').getTime());
    expect(new X509Certificate(cert.certPem).fingerprint256).toBe(x.fingerprint256);
  });

  test('has the fields of go-plugin\'s own certificates, with the right criticality', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const cert = AsnConvert.parse(createServerCertificate(now).certDer, Certificate);
    const tbs = cert.tbsCertificate;
    expect(tbs.version).toBe(Version.v3);
    // ecdsa-with-SHA256 with parameters absent (RFC 5758), in both places.
    expect(cert.signatureAlgorithm).toEqual(expect.objectContaining({ algorithm: '1.2.840.10045.4.3.2', parameters: undefined }));
    expect(tbs.signature.algorithm).toBe('1.2.840.10045.4.3.2');
    // A positive 16-byte serial (Go rejects negative serial numbers).
    const serial = new Uint8Array(tbs.serialNumber);
    expect(serial.length).toBe(16);
    expect(serial[0] & 0x80).toBe(0);
    expect(serial[0]).not.toBe(0);
    const names = (n: Name) => n.map((rdn) => rdn.map((a) => [a.type, a.value.toString()]));
    expect(names(tbs.subject)).toEqual([[['2.5.4.3', 'localhost']], [['2.5.4.10', 'netforge']]]);
    expect(names(tbs.issuer)).toEqual(names(tbs.subject));
    expect(tbs.validity.notBefore.getTime()).toEqual(new Date('2029-12-31T23:59:30Z'));
    expect(tbs.validity.notAfter.getTime()).toEqual(new Date('2030-01-31T00:00:00Z'));
    const extensions = tbs.extensions ?? [];
    expect(extensions.map((e) => [e.extnID, e.critical])).toEqual([
      [id_ce_basicConstraints, true],
      [id_ce_keyUsage, true],
      [id_ce_extKeyUsage, false],
      [id_ce_subjectAltName, false],
    ]);
    const value = <T>(id: string, type: new () => T) => AsnConvert.parse(extensions.find((e) => e.extnID === id)!.extnValue.buffer, type);
    expect(value(id_ce_basicConstraints, BasicConstraints)).toEqual(expect.objectContaining({ cA: true, pathLenConstraint: undefined }));
    expect(value(id_ce_keyUsage, KeyUsage).toNumber()).toBe(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyEncipherment | KeyUsageFlags.keyCertSign);
    expect([...value(id_ce_extKeyUsage, ExtendedKeyUsage)]).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(value(id_ce_subjectAltName, SubjectAlternativeName).map((n) => ({ ...n }))).toEqual([{ dNSName: 'localhost' }]);
  });

  test('reads as intended through @peculiar/x509, whose WebCrypto check accepts the signature', async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    const cert = new x509.X509Certificate(createServerCertificate().certDer);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    expect(san?.names.toJSON()).toEqual([{ type: 'dns', value: 'localhost' }]);
    const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
    expect(eku?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]);
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(await cert.verify({ signatureOnly: true })).toBe(true);
  });
});

describe('servePlugin over mutual TLS', () => {
  const thing = defineResource({
    typeName: 'srv_thing',
    schema: { attributes: { id: attr.string({ computed: true }), payload: attr.string({ optional: true }) } },
    create: async () => ({ id: 'x' }),
    read: async ({ state }) => state,
    update: async ({ planned }) => ({ payload: planned.payload }),
    delete: async () => {},
  });
  const client = createServerCertificate(); // has clientAuth too: stands in for Terraform's certificate
  const exit = jest.fn();
  let running: Awaited<ReturnType<typeof servePlugin>>;
  let announced = '';

  beforeAll(async () => {
    const server = new ProviderServer(defineProvider({ typeName: 'srv', resources: [thing] }), { debug() {}, info() {}, warn() {}, error() {} });
    running = await servePlugin(server, {
      env: { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: client.certPem },
      announce: (line) => (announced = line),
      exit,
    });
  });

  afterAll(async () => {
    await running.stop();
  });

  function connect(identity = client) {
    const services = loadPluginServices();
    // The handshake drops base64 padding (Go decodes it with RawStdEncoding); PEM needs it back.
    const unpadded = announced.split('|')[5];
    const base64 = unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
    const serverCertPem = `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
    const credentials = grpc.credentials.createSsl(Buffer.from(serverCertPem), Buffer.from(identity.keyPem), Buffer.from(identity.certPem));
    const options = { 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES };
    const Provider = grpc.makeClientConstructor(services.provider, 'Provider');
    const Controller = grpc.makeClientConstructor(services.controller, 'GRPCController');
    return {
      provider: new Provider(`unix:${running.socketPath}`, credentials, options) as grpc.Client & Record<string, Function>,
      controller: new Controller(`unix:${running.socketPath}`, credentials, options) as grpc.Client & Record<string, Function>,
    };
  }

  const call = (c: grpc.Client & Record<string, Function>, method: string, request: object) =>
    new Promise<any>((resolve, reject) => c[method](request, (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res))));

  test('announces a unix socket and its certificate', () => {
    expect(announced).toMatch(/^1\|6\|unix\|\/.+\/plugin\.sock\|grpc\|[A-Za-z0-9+/]+$/);
    expect(fs.existsSync(running.socketPath)).toBe(true);
  });

  test('serves the provider to a client holding the pinned certificate', async () => {
    const { provider } = connect();
    const schema = await call(provider, 'GetProviderSchema', {});
    expect(Object.keys(schema.resource_schemas)).toEqual(['srv_thing']);
    provider.close();
  });

  test('accepts messages above grpc-js default 4 MiB limit', async () => {
    const { provider } = connect();
    const type = types.object({ id: types.string, payload: types.string });
    const big = 'x'.repeat(6 * 1024 * 1024);
    const res = await call(provider, 'ValidateResourceConfig', { type_name: 'srv_thing', config: { msgpack: encodeMsgpack({ id: null, payload: big }, type) } });
    expect(res.diagnostics ?? []).toEqual([]);
    provider.close();
  });

  test('rejects a client with another certificate', async () => {
    const { provider } = connect(createServerCertificate());
    await expect(call(provider, 'GetProviderSchema', {})).rejects.toThrow();
    provider.close();
  });

  test('GRPCController.Shutdown answers, stops the server, removes the socket and exits 0', async () => {
    const { controller } = connect();
    await call(controller, 'Shutdown', {});
    controller.close();
    for (let i = 0; i < 100 && exit.mock.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(exit).toHaveBeenCalledWith(0);
    expect(fs.existsSync(running.socketPath)).toBe(false);
  });
});
