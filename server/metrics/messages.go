package metrics

import "github.com/prometheus/client_golang/prometheus"

// messageMetrics count visitors' messages and the notifications about them.
type messageMetrics struct {
	sent          *prometheus.CounterVec
	refused       *prometheus.CounterVec
	notifications *prometheus.CounterVec
}

func newMessageMetrics(r *prometheus.Registry) *messageMetrics {
	mm := &messageMetrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sshcv_messages_total",
			Help: "Messages visitors left and the store committed, by profile.",
		}, []string{"profile"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sshcv_messages_refused_total",
			Help: "Messages not committed, by reason (empty, too_long, not_utf8, off, address_limit, profile_limit, store).",
		}, []string{"reason"}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sshcv_notifications_total",
			Help: "Attempts to tell an owner about a message, by channel (webhook, email) and result (delivered, failed).",
		}, []string{"channel", "result"}),
	}
	r.MustRegister(mm.sent, mm.refused, mm.notifications)
	return mm
}

// MessageSent counts one committed message for profile.
func (m *Metrics) MessageSent(profile string) {
	if m == nil {
		return
	}
	m.messages.sent.WithLabelValues(m.profiles.value(profile)).Inc()
}

// MessageRefused counts one message that was not committed, by reason.
func (m *Metrics) MessageRefused(reason string) {
	if m == nil {
		return
	}
	m.messages.refused.WithLabelValues(m.reasons.value(reason)).Inc()
}

// NotifyDelivered counts one notification a channel accepted.
func (m *Metrics) NotifyDelivered(channel string) {
	if m == nil {
		return
	}
	m.messages.notifications.WithLabelValues(m.reasons.value(channel), "delivered").Inc()
}

// NotifyFailed counts one failed attempt to notify over a channel.
func (m *Metrics) NotifyFailed(channel string) {
	if m == nil {
		return
	}
	m.messages.notifications.WithLabelValues(m.reasons.value(channel), "failed").Inc()
}
