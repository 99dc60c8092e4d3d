using Studio.Modules;

[assembly: Module("Bookings")]
[assembly: Feature("Studio.Bookings", "Bookings",
    Description = "Rooms, equipment, engineers, services, clients, availability, conflict-free bookings, staff calendar and the client portal.",
    Category = "Studio", Dependencies = ["Studio.Audit"])]
