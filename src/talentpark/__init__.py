"""TalentPark 人才服务平台."""
