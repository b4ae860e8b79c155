// A websocket's readyState values (the WebSocket standard's, which ws uses): compared without loading ws.
export const WS_OPEN = 1;
export const WS_CLOSED = 3;
