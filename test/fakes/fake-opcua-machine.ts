// An injection-moulding machine as an OPC UA server (node-opcua's server side), with the nodes the
// OPC UA driver reads (docs/apps/machines.md §10.2): Start()/Stop() methods, MachineStatus
// (PowerOn, ErrorActive, Running, MachineMode), Jobs/ActiveJobValues counters and LastCycleTime,
// ProcessValues temperatures. Each machine object's behaviour is scripted by the test.
import net from 'node:net';
import { DataType, OPCUAServer, StatusCodes, Variant, type Namespace, type UAObject, type UAVariable } from 'node-opcua';

export type Behaviour = 'ok' | 'refuse' | 'hang' | 'drop';

export interface FakeOpcMachine {
  name: string;
  nodeId: string;
  behaviour: Behaviour;
  calls: string[];
  running: boolean;
  values: { cycles: number; good: number; bad: number; lastCycleMs: number; barrel: number; mould: number };
  /** set new production values (as a finished cycle would) */
  cycle(): void;
  release?: () => void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export class FakeOpcServer {
  server!: OPCUAServer;
  readonly machines = new Map<string, FakeOpcMachine>();
  private vars = new Map<string, UAVariable[]>();

  constructor(readonly port: number) {}

  get url(): string {
    return `opc.tcp://127.0.0.1:${this.port}/UA/Madang`;
  }

  async start(names: string[]): Promise<void> {
    this.server = new OPCUAServer({ port: this.port, resourcePath: '/UA/Madang', allowAnonymous: true, maxConnectionsPerEndpoint: 50 });
    await this.server.initialize();
    const ns = this.server.engine.addressSpace!.getOwnNamespace();
    for (const name of names) this.addMachine(ns, name);
    await this.server.start();
  }

  /** stop listening; connected clients lose their link */
  async stop(): Promise<void> {
    await this.server.shutdown(0);
  }

  private addMachine(ns: Namespace, name: string): void {
    const prev = this.machines.get(name);
    const m: FakeOpcMachine = prev ?? {
      name,
      nodeId: `ns=1;s=${name}`,
      behaviour: 'ok',
      calls: [],
      running: false,
      values: { cycles: 0, good: 0, bad: 0, lastCycleMs: 0, barrel: 25, mould: 25 },
      cycle: () => undefined,
    };
    this.machines.set(name, m);
    const addressSpace = this.server.engine.addressSpace!;
    const obj = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: name, nodeId: `s=${name}` });
    const folder = (parent: UAObject, browseName: string) => ns.addObject({ componentOf: parent, browseName });
    const variable = (parent: UAObject, browseName: string, dataType: DataType, get: () => unknown) =>
      ns.addVariable({
        componentOf: parent,
        browseName,
        dataType: DataType[dataType],
        minimumSamplingInterval: 100,
        value: { get: () => new Variant({ dataType, value: get() }) },
      });
    const status = folder(obj, 'MachineStatus');
    variable(status, 'PowerOn', DataType.Boolean, () => true);
    variable(status, 'ErrorActive', DataType.Boolean, () => false);
    variable(status, 'Running', DataType.Boolean, () => m.running);
    variable(status, 'MachineMode', DataType.Int32, () => 1);
    const jobs = folder(obj, 'Jobs');
    const active = folder(jobs, 'ActiveJobValues');
    const process = folder(obj, 'ProcessValues');
    const live = [
      variable(active, 'JobCycleCounter', DataType.UInt32, () => m.values.cycles),
      variable(active, 'JobGoodPartsCounter', DataType.UInt32, () => m.values.good),
      variable(active, 'JobBadPartsCounter', DataType.UInt32, () => m.values.bad),
      variable(active, 'LastCycleTime', DataType.Double, () => m.values.lastCycleMs),
      variable(process, 'BarrelTemperature', DataType.Double, () => m.values.barrel),
      variable(process, 'MouldTemperature', DataType.Double, () => m.values.mould),
    ];
    this.vars.set(name, live);
    m.cycle = () => {
      m.values.cycles++;
      m.values.good++;
      m.values.lastCycleMs = 24_000 + m.values.cycles;
      m.values.barrel = 230 + (m.values.cycles % 3);
      m.values.mould = 45;
    };
    const method = (browseName: 'Start' | 'Stop') => {
      const meth = ns.addMethod(obj, { browseName, inputArguments: [], outputArguments: [] });
      meth.bindMethod(async (_inputs: unknown, _context: unknown) => {
        m.calls.push(browseName.toUpperCase());
        if (m.behaviour === 'refuse') return { statusCode: StatusCodes.BadInvalidState };
        if (m.behaviour === 'hang') await new Promise<void>((r) => (m.release = r));
        if (m.behaviour === 'drop') {
          // the link goes down while the machine works on the command
          await this.stop();
          await new Promise<void>((r) => (m.release = r));
        }
        m.running = browseName === 'Start';
        return { statusCode: StatusCodes.Good };
      });
    };
    method('Start');
    method('Stop');
  }
}
