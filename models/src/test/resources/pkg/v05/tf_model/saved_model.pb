placeholder saved model graph
