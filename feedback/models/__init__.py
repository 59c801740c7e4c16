"""All models, one module per aggregate. Import models from here."""
from .api_tokens import ApiToken
from .audit import AuditEvent
from .base import UTCDateTime, utcnow
from .cards import ActionCard, StatusChange, MeToo, Response
from .contracts import (Contract, ContractReview, FrozenPack, Kpi, KpiReturn, ReviewAction,
                        contract_service, review_action_card, review_action_theme)
from .family import FeedbackEntry, ImportBatch
from .inspections import (Inspection, InspectionFile, InspectionItem, InspectionScore,
                          InspectionStandard)
from .journeys import JourneyState
from .replies import ProviderReply
from .people import Organisation, SignInThrottle, User, UserRole
from .services import Area, Service, ServiceName, service_area
from .themes import AnalysisRun, Subtheme, Theme, ThemeAssignment
from .returns import PerformanceReturn, ReturnFile, ReturnValue

__all__ = [
    "ActionCard", "AnalysisRun", "ApiToken", "Area", "AuditEvent", "StatusChange", "Contract",
    "ContractReview", "FeedbackEntry", "FrozenPack", "ImportBatch", "JourneyState", "Kpi",
    "KpiReturn", "MeToo", "Organisation", "ProviderReply", "Response", "ReviewAction", "Service", "ServiceName",
    "SignInThrottle", "Subtheme", "Theme",
    "ThemeAssignment",
    "User", "UserRole", "UTCDateTime", "contract_service", "review_action_card",
    "review_action_theme", "service_area", "utcnow",
    "PerformanceReturn", "ReturnFile", "ReturnValue",
]
from .baselines import PopulationBaseline  # noqa: E402
from .panel import PanelSession, PanelVerdict, PanelWaiver  # noqa: E402

__all__ += ["PanelSession", "PanelVerdict", "PanelWaiver", "PopulationBaseline"]
__all__ += ["Inspection", "InspectionFile", "InspectionItem", "InspectionScore",
            "InspectionStandard"]
from .action_updates import ActionUpdate  # noqa: E402
from .invitations import Invitation  # noqa: E402
__all__ += ["ActionUpdate", "Invitation"]
