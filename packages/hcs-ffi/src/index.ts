export { socketPair, listenUnixSocket, connectUnixSocket } from './posixSockets.js';
