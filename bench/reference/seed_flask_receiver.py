"""
The reference receiver for the side-by-side benchmark: the seed document's design, as written
there (Flask's own server, secret check, the trade executed inside the request, print logging),
with its Binance client replaced by direct signed REST calls (python-binance is not installable
here) against the same exchange simulator Pinebridge is measured with.

    WEBHOOK_SECRET=... EXCHANGE_URL=http://127.0.0.1:PORT BINANCE_API_KEY=... BINANCE_API_SECRET=... \
        python3 seed_flask_receiver.py PORT
"""
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.parse
import urllib.request
from datetime import datetime

from flask import Flask, jsonify, request

app = Flask(__name__)
WEBHOOK_SECRET = os.environ.get('WEBHOOK_SECRET', 'your_secret_token')
BASE = os.environ['EXCHANGE_URL']
API_KEY = os.environ.get('BINANCE_API_KEY', '')
API_SECRET = os.environ.get('BINANCE_API_SECRET', '')


def call(method, path, params=None, signed=False):
    params = dict(params or {})
    if signed:
        params['timestamp'] = int(time.time() * 1000)
        query = urllib.parse.urlencode(params)
        params_sig = hmac.new(API_SECRET.encode(), query.encode(), hashlib.sha256).hexdigest()
        query += '&signature=' + params_sig
    else:
        query = urllib.parse.urlencode(params)
    url = BASE + path + ('?' + query if query else '')
    req = urllib.request.Request(url, method=method, headers={'X-MBX-APIKEY': API_KEY})
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.loads(res.read())


def execute_trade(symbol, side, order_type='market', quantity=None):
    try:
        if quantity is None:
            quantity = calculate_position_size(symbol, side)
        order = call('POST', '/api/v3/order', {
            'symbol': symbol, 'side': side.upper(), 'type': 'MARKET', 'quantity': quantity,
            'newOrderRespType': 'FULL',
        }, signed=True)
        return {
            'success': True,
            'order_id': order['orderId'],
            'filled_qty': order['executedQty'],
            'avg_price': order['fills'][0]['price'] if order.get('fills') else None,
        }
    except Exception as e:  # the seed catches BinanceAPIException the same way
        return {'success': False, 'error': str(e)}


def calculate_position_size(symbol, side):
    account = call('GET', '/api/v3/account', signed=True)
    if side.lower() == 'buy':
        usdt_balance = next((float(b['free']) for b in account['balances'] if b['asset'] == 'USDT'), 0)
        ticker = call('GET', '/api/v3/ticker/price', {'symbol': symbol})
        # The seed spends the whole balance; the benchmark caps it so the account lasts the run.
        return round(min(usdt_balance, 20.0) / float(ticker['price']), 5)
    base_asset = symbol.replace('USDT', '')
    return round(min(next((float(b['free']) for b in account['balances'] if b['asset'] == base_asset), 0), 0.0003), 5)


@app.route('/webhook', methods=['POST'])
def handle_webhook():
    try:
        data = request.get_json(force=True)
        if data.get('secret') != WEBHOOK_SECRET:
            log_request(data, 'UNAUTHORIZED')
            return jsonify({'error': 'Unauthorized'}), 401
        action = data.get('action')
        symbol = data.get('symbol')
        if not all([action, symbol]):
            return jsonify({'error': 'Missing required fields'}), 400
        log_request(data, 'RECEIVED')
        result = execute_trade(symbol=symbol, side=action, order_type='market')
        log_request(data, f'EXECUTED: {result}')
        return jsonify({'status': 'success', 'order_id': result.get('order_id')}), 200
    except Exception as e:
        log_request({}, f'ERROR: {str(e)}')
        return jsonify({'error': str(e)}), 500


def log_request(data, status):
    timestamp = datetime.now().isoformat()
    print(f"[{timestamp}] {status}: {json.dumps(data)}", flush=True)


if __name__ == '__main__':
    app.run(host='127.0.0.1', port=int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
