// The status page: polls /actuator/failover and renders one row per target. No build step, no library.
(function () {
    'use strict';
    var rows = document.getElementById('targets');

    function cell(text, className) {
        var td = document.createElement('td');
        td.textContent = text;
        if (className) td.className = className;
        return td;
    }

    function percent(value) {
        return (value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0) + ' %';
    }

    function render(snapshot) {
        var status = document.getElementById('status');
        status.textContent = snapshot.status;
        status.dataset.status = snapshot.status;
        document.getElementById('updated').textContent = 'updated ' + new Date(snapshot.at).toLocaleTimeString();
        rows.replaceChildren();
        snapshot.targets.forEach(function (t) {
            var tr = document.createElement('tr');
            tr.dataset.target = t.name;
            tr.dataset.state = t.state;
            tr.appendChild(cell(t.name));
            tr.appendChild(cell(t.model || ''));
            tr.appendChild(cell(String(t.tier), 'num'));
            var state = document.createElement('td');
            var badge = document.createElement('span');
            badge.className = 'state';
            badge.dataset.state = t.state;
            badge.textContent = t.state.replace('_', '-').toLowerCase() + (t.openReason ? ' (' + t.openReason.toLowerCase() + ')' : '');
            state.appendChild(badge);
            tr.appendChild(state);
            var share = document.createElement('td');
            share.className = 'num';
            var bar = document.createElement('span');
            bar.className = 'bar';
            var fill = document.createElement('span');
            fill.style.width = Math.round(t.servedShare * 100) + '%';
            bar.appendChild(fill);
            share.appendChild(bar);
            share.appendChild(document.createTextNode(' ' + percent(t.servedShare)));
            tr.appendChild(share);
            tr.appendChild(cell(t.p50Millis + ' ms', 'num'));
            tr.appendChild(cell(t.p99Millis + ' ms', 'num'));
            tr.appendChild(cell(percent(t.errorRate), 'num'));
            tr.appendChild(cell(String(t.attempts), 'num'));
            tr.appendChild(cell(t.cost === null || t.cost === undefined ? '–' : '$' + Number(t.cost).toFixed(4), 'num'));
            var actions = document.createElement('td');
            var reset = document.createElement('button');
            reset.textContent = 'reset';
            reset.onclick = function () { act('reset', t.name); };
            actions.appendChild(reset);
            tr.appendChild(actions);
            rows.appendChild(tr);
        });
    }

    function act(action, target) {
        fetch('actuator/failover', {
            method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({action: action, target: target})
        }).then(refresh);
    }

    function refresh() {
        return fetch('actuator/failover', {headers: {'Accept': 'application/json'}})
            .then(function (response) {
                if (!response.ok) throw new Error('HTTP ' + response.status);
                return response.json();
            })
            .then(function (snapshot) {
                document.getElementById('error').hidden = true;
                render(snapshot);
            })
            .catch(function (e) {
                var error = document.getElementById('error');
                error.hidden = false;
                error.textContent = 'Cannot read /actuator/failover: ' + e.message;
            });
    }

    refresh();
    setInterval(refresh, 1000);
})();
