// The gateway as the system tests and benchmarks compose it. No app imports this.
export { GatewayModule } from './app.module';
export { createGateway } from './gateway';
export { readGatewayConfig } from './gateway-config';
export { PROXIED_ROUTES } from './proxy/proxied-routes';
