/**
 * What traffic a security group rule allows, as AWS CDK's ec2.Port: a protocol and, for TCP
 * and UDP, a port range. Checked where a rule uses it (port 0 fails naming the rule).
 */
import type { SecurityGroupProtocol } from '../topology/model';
import { describePorts } from '../topology/rules/security-groups';

export interface PortProps {
  readonly protocol: SecurityGroupProtocol;
  /**
   * TCP and UDP: the first port.
   * @default every port
   */
  readonly portStart?: number;
  /**
   * TCP and UDP: the last port.
   * @default portStart
   */
  readonly portEnd?: number;
}

export class Port {
  /** One TCP port. */
  static tcp(port: number): Port {
    return new Port({ protocol: 'TCP', portStart: port, portEnd: port });
  }

  /** TCP ports start-end, both included. */
  static tcpRange(start: number, end: number): Port {
    return new Port({ protocol: 'TCP', portStart: start, portEnd: end });
  }

  /** Every TCP port. */
  static allTcp(): Port {
    return new Port({ protocol: 'TCP' });
  }

  /** One UDP port. */
  static udp(port: number): Port {
    return new Port({ protocol: 'UDP', portStart: port, portEnd: port });
  }

  /** UDP ports start-end, both included. */
  static udpRange(start: number, end: number): Port {
    return new Port({ protocol: 'UDP', portStart: start, portEnd: end });
  }

  /** Every UDP port. */
  static allUdp(): Port {
    return new Port({ protocol: 'UDP' });
  }

  /** ICMP (it has no ports). */
  static icmp(): Port {
    return new Port({ protocol: 'ICMP' });
  }

  /** Every protocol and port. */
  static allTraffic(): Port {
    return new Port({ protocol: 'ALL' });
  }

  readonly protocol: SecurityGroupProtocol;
  readonly portStart?: number;
  readonly portEnd?: number;

  constructor(props: PortProps) {
    this.protocol = props.protocol;
    this.portStart = props.portStart;
    this.portEnd = props.portEnd;
  }

  /** "tcp/443", "udp/1000-2000", "icmp", "all traffic": as review reports name it, and in rule ids. */
  toString(): string {
    return describePorts(this.protocol, this.portStart ?? null, this.portEnd ?? null);
  }
}
