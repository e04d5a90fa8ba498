"""The public "What's new" page: roadmap items a manager published after their embargo
(mounted at /<lang>/whats-new/ by config.urls; the only public URLs of the council app)."""

app_name = "whats_new"

urlpatterns = []
